using Ingestion.States.Errors;
using Ingestion.States.ItemReaders;
using Ingestion.States.Json;
using Ingestion.States.Runtime;
using Ingestion.States.Templates;

namespace Ingestion.States.DistributedMap;

/// <summary>
/// The Distributed Map's producer: reads the items (ItemReader or ItemsPath), applies ItemSelector
/// and ItemBatcher, and writes batches to the bounded channel the workers read.
/// </summary>
internal static class ItemProducer
{
    public static async Task ProduceAsync(MapRunState state)
    {
        var channel = state.Channel.Writer;
        try
        {
            var items = state.Options.ObserveItems?.Invoke(state.MapRun, Read(state)) ?? Read(state);
            var settings = state.Settings;
            var batcher = new Batcher(settings.MaxItemsPerBatch, settings.MaxBytesPerBatch, settings.BatchInput);
            var index = 0;
            var batchIndex = 0;
            await using var enumerator = items.GetAsyncEnumerator(state.Token);
            while (await enumerator.MoveNextAsync())
            {
                var item = enumerator.Current;
                var selected = Select(state, index, item);
                index++;
                state.ItemRead();
                if (!batcher.Enabled)
                {
                    await channel.WriteAsync(new Batch(batchIndex++, selected, 1), state.Token);
                    continue;
                }

                for (var full = batcher.Add(selected); full is not null; full = batcher.TakeIfFull())
                {
                    await channel.WriteAsync(new Batch(batchIndex++, batcher.Envelope(full), full.Count), state.Token);
                }
            }

            if (batcher.Flush() is { } last)
            {
                await channel.WriteAsync(new Batch(batchIndex, batcher.Envelope(last), last.Count), state.Token);
            }
        }
        finally
        {
            channel.TryComplete();
        }
    }

    private static IAsyncEnumerable<JValue> Read(MapRunState state)
    {
        var map = state.Map;
        return map.ItemReader is { } reader
            ? ItemSource.ReadAsync(reader, reader.Parameters.Evaluate(state.Scope), state.Options.Storage, state.Settings.MaxItems, state.Token)
            : FromArray(ExecutionRun.ItemsOf(map, state.Effective, state.Context, state.Options.Random));
    }

    private static JValue Select(MapRunState state, int index, JValue item) => state.Map.ItemSelector is null
        ? item
        : state.Map.ItemSelector.Evaluate(new EvaluationScope(state.Effective, state.Context.ForMapItem(index, item), state.Options.Random));

    private static async IAsyncEnumerable<JValue> FromArray(JArray array)
    {
        await Task.CompletedTask;
        foreach (var item in array)
        {
            yield return item;
        }
    }
}
