using System.Collections;
using System.Text.Json;

namespace Ingestion.States.Json;

/// <summary>An immutable JSON object that keeps its properties in document order.</summary>
/// <remarks>
/// Small objects (the common case for state payloads) are searched linearly; a dictionary is built
/// lazily only for large ones, so creating an object costs one array.
/// </remarks>
public sealed class JObject : JValue, IReadOnlyList<KeyValuePair<string, JValue>>
{
    private const int IndexThreshold = 12;

    internal static readonly JObject Empty = new([]);

    private readonly KeyValuePair<string, JValue>[] _properties;
    private Dictionary<string, int>? _index;

    /// <summary>Takes ownership of <paramref name="properties"/>; keys must be unique.</summary>
    public JObject(KeyValuePair<string, JValue>[] properties) => _properties = properties;

    public override JKind Kind => JKind.Object;

    public int Count => _properties.Length;

    public KeyValuePair<string, JValue> this[int index] => _properties[index];

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
            value = _properties[index].Value;
            return true;
        }

        value = null;
        return false;
    }

    public JValue? Get(string key) => TryGetValue(key, out var value) ? value : null;

    public int IndexOf(string key)
    {
        if (_properties.Length > IndexThreshold)
        {
            _index ??= BuildIndex();
            return _index.TryGetValue(key, out var found) ? found : -1;
        }

        for (var i = 0; i < _properties.Length; i++)
        {
            if (string.Equals(_properties[i].Key, key, StringComparison.Ordinal))
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
        KeyValuePair<string, JValue>[] copy;
        if (index >= 0)
        {
            copy = (KeyValuePair<string, JValue>[])_properties.Clone();
            copy[index] = new(key, value);
        }
        else
        {
            copy = new KeyValuePair<string, JValue>[_properties.Length + 1];
            Array.Copy(_properties, copy, _properties.Length);
            copy[^1] = new(key, value);
        }

        return new JObject(copy);
    }

    internal ReadOnlySpan<KeyValuePair<string, JValue>> AsSpan() => _properties;

    public IEnumerator<KeyValuePair<string, JValue>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, JValue>>)_properties).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _properties.GetEnumerator();

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var property in _properties)
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

        if (other is not JObject o || o._properties.Length != _properties.Length)
        {
            return false;
        }

        foreach (var property in _properties)
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
        foreach (var property in _properties)
        {
            hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(property.Key), property.Value.GetHashCode());
        }

        return hash;
    }

    private protected override int ComputeUtf8Length()
    {
        var length = 2 + Math.Max(0, _properties.Length - 1);
        foreach (var property in _properties)
        {
            length += JLength.OfString(property.Key) + 1 + property.Value.Utf8Length;
        }

        return length;
    }

    private Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(_properties.Length, StringComparer.Ordinal);
        for (var i = 0; i < _properties.Length; i++)
        {
            index[_properties[i].Key] = i;
        }

        return index;
    }
}
