namespace Ingestion.States.Jsonata.Values;

/// <summary>JSON null, kept distinct from C# null, which stands for JSONata's undefined (no value).</summary>
internal sealed class JsNull
{
    public static readonly JsNull Value = new();

    private JsNull()
    {
    }

    public override string ToString() => "null";
}
