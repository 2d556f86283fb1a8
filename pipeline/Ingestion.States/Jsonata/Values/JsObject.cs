namespace Ingestion.States.Jsonata.Values;

/// <summary>A JSON object during evaluation: mutable (transforms update clones in place), keys in insertion order.</summary>
internal sealed class JsObject : OrderedDictionary<string, object?>
{
    public JsObject()
        : base(StringComparer.Ordinal)
    {
    }

    public JsObject(int capacity)
        : base(capacity, StringComparer.Ordinal)
    {
    }

    /// <summary>Sets a key, keeping its original place when it already exists (as a JavaScript object does).</summary>
    public void Set(string key, object? value) => this[key] = value;
}
