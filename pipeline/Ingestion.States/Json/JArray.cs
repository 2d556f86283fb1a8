using System.Collections;
using System.Text.Json;

namespace Ingestion.States.Json;

/// <summary>An immutable JSON array.</summary>
/// <remarks>
/// An array read from JSON text (<see cref="JParser.ParseLazy"/>) keeps that text and builds its items
/// only when first asked; until then it is written back by copying the text.
/// </remarks>
public sealed class JArray : JValue, IReadOnlyList<JValue>
{
    internal static readonly JArray Empty = new([]);

    private readonly ValidatedText? _text;
    private readonly int _container;
    private JValue[]? _items;

    /// <summary>Takes ownership of <paramref name="items"/>: callers never mutate it afterwards.</summary>
    public JArray(JValue[] items) => _items = items;

    public JArray(IEnumerable<JValue> items) => _items = [.. items];

    /// <summary>The array that is container <paramref name="container"/> of validated text; its parts are built when first asked for.</summary>
    internal JArray(ValidatedText text, int container)
    {
        _text = text;
        _container = container;
    }

    public override JKind Kind => JKind.Array;

    public int Count => Items.Length;

    public JValue this[int index] => Items[index];

    private protected override ReadOnlyMemory<byte> RawText => _text?.Text(_container) ?? default;

    private JValue[] Items => Volatile.Read(ref _items) ?? Materialize();

    internal ReadOnlySpan<JValue> AsSpan() => Items;

    public IEnumerator<JValue> GetEnumerator() => ((IEnumerable<JValue>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => Items.GetEnumerator();

    public override void WriteTo(Utf8JsonWriter writer)
    {
        if (TryWriteRaw(writer))
        {
            return;
        }

        writer.WriteStartArray();
        foreach (var item in Items)
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

        if (other is not JArray a || a.Count != Count)
        {
            return false;
        }

        var items = Items;
        var others = a.Items;
        for (var i = 0; i < items.Length; i++)
        {
            if (!items[i].Equals(others[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items)
        {
            hash.Add(item.GetHashCode());
        }

        return hash.ToHashCode();
    }

    private protected override int ComputeUtf8Length()
    {
        if (_text is not null)
        {
            return _text.Length(_container);
        }

        var items = Items;
        var length = 2 + Math.Max(0, items.Length - 1);
        foreach (var item in items)
        {
            length += item.Utf8Length;
        }

        return length;
    }

    /// <summary>Builds the items from the text, once (a race builds equal arrays; the first one stays).</summary>
    private JValue[] Materialize()
    {
        var built = JParser.ReadArrayLevel(_text!, _container);
        return Interlocked.CompareExchange(ref _items, built, null) ?? built;
    }
}
