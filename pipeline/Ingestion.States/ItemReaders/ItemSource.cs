using System.Runtime.CompilerServices;
using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Storage;

namespace Ingestion.States.ItemReaders;

/// <summary>Opens the items an ItemReader names, as one stream of JSON values in file order.</summary>
internal static class ItemSource
{
    public static async IAsyncEnumerable<JValue> ReadAsync(ItemReaderConfig config, JValue parameters, IObjectStorage? storage, int? maxItems,
        [EnumeratorCancellation] CancellationToken ct)
    {
        if (storage is null)
        {
            throw ItemReaderFailure.Of(config.Resource, "no object storage is configured (StatesEngineOptions.Storage)");
        }

        var p = parameters as JObject ?? throw ItemReaderFailure.Of(config.Resource, "the ItemReader Parameters must be an object");
        var bucket = (p.Get("Bucket") as JString)?.Value ?? throw ItemReaderFailure.Of(config.Resource, "the ItemReader Parameters need a Bucket string");
        var count = 0;
        if (config.InputType == ReaderInputType.Objects)
        {
            var prefix = (p.Get("Prefix") as JString)?.Value ?? "";
            await foreach (var entry in storage.ListAsync(bucket, prefix, ct))
            {
                if (maxItems is { } max && count++ >= max)
                {
                    yield break;
                }

                // The shape AWS's documentation shows for listObjectsV2 items: Etag, epoch-second LastModified.
                yield return new JObject(
                [
                    new("Etag", new JString(entry.ETag)),
                    new("Key", new JString(entry.Key)),
                    new("LastModified", JNumber.Of(entry.LastModified.ToUnixTimeSeconds())),
                    new("Size", JNumber.Of(entry.Size)),
                    new("StorageClass", new JString(entry.StorageClass)),
                ]);
            }

            yield break;
        }

        var key = (p.Get("Key") as JString)?.Value ?? throw ItemReaderFailure.Of($"s3://{bucket}", "the ItemReader Parameters need a Key string");
        var version = (p.Get("VersionId") as JString)?.Value;
        var source = $"s3://{bucket}/{key}" + (version is null ? "" : $" (version {version})");
        Stream stream;
        try
        {
            stream = await storage.OpenReadAsync(bucket, key, version, ct);
        }
        catch (ObjectNotFoundException e)
        {
            throw ItemReaderFailure.Of(source, e.Message);
        }

        await using (stream)
        {
            var items = config.InputType switch
            {
                ReaderInputType.Json => JsonArrayItemReader.ReadAsync(stream, source, ct),
                ReaderInputType.JsonLines => JsonLinesItemReader.ReadAsync(stream, source, ct),
                ReaderInputType.Csv => CsvItemReader.ReadAsync(stream, source, config.CsvDelimiter,
                    config.CsvHeaderLocation == CsvHeaderLocation.Given ? config.CsvHeaders : null, ct),
                _ => throw new StatesException(StatesErrors.ItemReaderFailed, $"Unsupported input type {config.InputType}."),
            };
            await foreach (var item in items)
            {
                if (maxItems is { } max && count++ >= max)
                {
                    yield break;
                }

                yield return item;
            }
        }
    }
}
