using Ingestion.States.Json;

namespace Ingestion.States.DistributedMap;

/// <summary>A child execution's work: one item, or a batch <c>{"BatchInput", "Items"}</c>.</summary>
internal readonly record struct Batch(int Index, JValue Input, int ItemCount);

/// <summary>Groups selected items into batches by count and serialised size (ItemBatcher).</summary>
internal sealed class Batcher(int? maxItems, int? maxBytes, JValue? batchInput)
{
    private const int EnvelopeBytes = 32;
    private readonly List<JValue> _items = [];
    private int _bytes;

    public bool Enabled => maxItems is not null || maxBytes is not null;

    /// <summary>Adds an item; returns the batch it completes, if any.</summary>
    /// <remarks>
    /// An item larger than MaxInputBytesPerBatch on its own still goes out, alone in its batch:
    /// the documentation does not say otherwise, and dropping items silently would be worse. The
    /// child's input may then exceed the payload limit and fail like any oversized input.
    /// </remarks>
    public JArray? Add(JValue item)
    {
        JArray? completed = null;
        var size = item.Utf8Length + 1;
        if (_items.Count > 0 && maxBytes is { } limit && _bytes + size + EnvelopeBytes + (batchInput?.Utf8Length ?? 0) > limit)
        {
            completed = Take();
        }

        _items.Add(item);
        _bytes += size;
        if (maxItems is { } count && _items.Count >= count)
        {
            return completed ?? Take();
        }

        return completed;
    }

    /// <summary>When <see cref="Add"/> returned a batch and the new item also filled one (count 1), take it.</summary>
    public JArray? TakeIfFull() => maxItems is { } count && _items.Count >= count ? Take() : null;

    public JArray? Flush() => _items.Count == 0 ? null : Take();

    public JValue Envelope(JArray items) => batchInput is null
        ? new JObject([new("Items", items)])
        : new JObject([new("BatchInput", batchInput), new("Items", items)]);

    private JArray Take()
    {
        var batch = new JArray([.. _items]);
        _items.Clear();
        _bytes = 0;
        return batch;
    }
}
