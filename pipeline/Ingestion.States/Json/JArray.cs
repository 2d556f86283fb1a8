using System.Collections;
using System.Text.Json;

namespace Ingestion.States.Json;

/// <summary>An immutable JSON array.</summary>
public sealed class JArray : JValue, IReadOnlyList<JValue>
{
    internal static readonly JArray Empty = new([]);

    private readonly JValue[] _items;

    /// <summary>Takes ownership of <paramref name="items"/>: callers never mutate it afterwards.</summary>
    public JArray(JValue[] items) => _items = items;

    public JArray(IEnumerable<JValue> items) => _items = [.. items];

    public override JKind Kind => JKind.Array;

    public int Count => _items.Length;

    public JValue this[int index] => _items[index];

    internal ReadOnlySpan<JValue> AsSpan() => _items;

    public IEnumerator<JValue> GetEnumerator() => ((IEnumerable<JValue>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        foreach (var item in _items)
        {
            item.WriteTo(writer);
        }

        writer.WriteEndArray();
    }

    public override bool Equals(JValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not JArray a || a._items.Length != _items.Length)
        {
            return false;
        }

        for (var i = 0; i < _items.Length; i++)
        {
            if (!_items[i].Equals(a._items[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item.GetHashCode());
        }

        return hash.ToHashCode();
    }

    private protected override int ComputeUtf8Length()
    {
        var length = 2 + Math.Max(0, _items.Length - 1);
        foreach (var item in _items)
        {
            length += item.Utf8Length;
        }

        return length;
    }
}
