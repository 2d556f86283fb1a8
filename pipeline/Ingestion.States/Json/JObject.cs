using System.Collections;
using System.Text.Json;

namespace Ingestion.States.Json;

/// <summary>An immutable JSON object that keeps its properties in document order.</summary>
/// <remarks>
/// Small objects (the common case for state payloads) are searched linearly; a dictionary is built
/// lazily only for large ones, so creating an object costs one array. An object read from JSON text
/// (<see cref="JParser.ParseLazy"/>) keeps that text and builds its properties only when first
/// asked; until then it is written back by copying the text.
/// </remarks>
public sealed class JObject : JValue, IReadOnlyList<KeyValuePair<string, JValue>>
{
    private const int IndexThreshold = 12;

    internal static readonly JObject Empty = new([]);

    private readonly ValidatedText? _text;
    private readonly int _container;
    private KeyValuePair<string, JValue>[]? _properties;
    private Dictionary<string, int>? _index;

    /// <summary>Takes ownership of <paramref name="properties"/>; keys must be unique.</summary>
    public JObject(KeyValuePair<string, JValue>[] properties) => _properties = properties;

    /// <summary>The object that is container <paramref name="container"/> of validated text; its parts are built when first asked for.</summary>
    internal JObject(ValidatedText text, int container)
    {
        _text = text;
        _container = container;
    }

    public override JKind Kind => JKind.Object;

    public int Count => Properties.Length;

    public KeyValuePair<string, JValue> this[int index] => Properties[index];

    /// <summary>Whether the properties have not been built yet (the object is still only its text).</summary>
    internal bool IsLazy => Volatile.Read(ref _properties) is null;

    private protected override ReadOnlyMemory<byte> RawText => _text?.Text(_container) ?? default;

    private KeyValuePair<string, JValue>[] Properties => Volatile.Read(ref _properties) ?? Materialize();

    /// <summary>Builds an object where a later duplicate key replaces an earlier one, as JSON parsers do.</summary>
    public static JObject FromProperties(IEnumerable<KeyValuePair<string, JValue>> properties)
    {
        var list = new List<KeyValuePair<string, JValue>>();
        foreach (var property in properties)
        {
            var existing = list.FindIndex(p => string.Equals(p.Key, property.Key, StringComparison.Ordinal));
            if (existing >= 0)
            {
                list[existing] = property;
            }
            else
            {
                list.Add(property);
            }
        }

        return new JObject([.. list]);
    }

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JValue? value)
    {
        var index = IndexOf(key);
        if (index >= 0)
        {
            value = Properties[index].Value;
            return true;
        }

        value = null;
        return false;
    }

    public JValue? Get(string key) => TryGetValue(key, out var value) ? value : null;

    public int IndexOf(string key)
    {
        var properties = Properties;
        if (properties.Length > IndexThreshold)
        {
            _index ??= BuildIndex(properties);
            return _index.TryGetValue(key, out var found) ? found : -1;
        }

        for (var i = 0; i < properties.Length; i++)
        {
            if (string.Equals(properties[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A copy with <paramref name="key"/> set (replaced in place, or appended).</summary>
    public JObject With(string key, JValue value)
    {
        var index = IndexOf(key);
        var properties = Properties;
        KeyValuePair<string, JValue>[] copy;
        if (index >= 0)
        {
            copy = (KeyValuePair<string, JValue>[])properties.Clone();
            copy[index] = new(key, value);
        }
        else
        {
            copy = new KeyValuePair<string, JValue>[properties.Length + 1];
            Array.Copy(properties, copy, properties.Length);
            copy[^1] = new(key, value);
        }

        return new JObject(copy);
    }

    internal ReadOnlySpan<KeyValuePair<string, JValue>> AsSpan() => Properties;

    public IEnumerator<KeyValuePair<string, JValue>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, JValue>>)Properties).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => Properties.GetEnumerator();

    public override void WriteTo(Utf8JsonWriter writer)
    {
        if (TryWriteRaw(writer))
        {
            return;
        }

        writer.WriteStartObject();
        foreach (var property in Properties)
        {
            writer.WritePropertyName(property.Key);
            property.Value.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    public override bool Equals(JValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not JObject o || o.Count != Count)
        {
            return false;
        }

        foreach (var property in Properties)
        {
            if (!o.TryGetValue(property.Key, out var value) || !value.Equals(property.Value))
            {
                return false;
            }
        }

        return true;
    }

    public override int GetHashCode()
    {
        // Order-independent, as object equality is.
        var hash = 0;
        foreach (var property in Properties)
        {
            hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(property.Key), property.Value.GetHashCode());
        }

        return hash;
    }

    private protected override int ComputeUtf8Length()
    {
        if (_text is not null)
        {
            return _text.Length(_container);
        }

        var properties = Properties;
        var length = 2 + Math.Max(0, properties.Length - 1);
        foreach (var property in properties)
        {
            length += JLength.OfString(property.Key) + 1 + property.Value.Utf8Length;
        }

        return length;
    }

    private static Dictionary<string, int> BuildIndex(KeyValuePair<string, JValue>[] properties)
    {
        var index = new Dictionary<string, int>(properties.Length, StringComparer.Ordinal);
        for (var i = 0; i < properties.Length; i++)
        {
            index[properties[i].Key] = i;
        }

        return index;
    }

    /// <summary>Builds the properties from the text, once (a race builds equal arrays; the first one stays).</summary>
    private KeyValuePair<string, JValue>[] Materialize()
    {
        var built = JParser.ReadObjectLevel(_text!, _container);
        return Interlocked.CompareExchange(ref _properties, built, null) ?? built;
    }
}
