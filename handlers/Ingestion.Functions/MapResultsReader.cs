using System.Buffers;
using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;

namespace Ingestion.Functions;

/// <summary>Adds up the child executions of a map run and collects their rejected and failed records.</summary>
/// <remarks>Layout of the results: see <see cref="SummarizeRunFunction"/>.</remarks>
internal sealed class MapResultsReader : IDisposable
{
    private const string DataLimitExceeded = "States.DataLimitExceeded";
    private static readonly string[] ResultGroups = ["SUCCEEDED", "FAILED", "PENDING"];

    private readonly ArrayBufferWriter<byte> _rejected = new(256);
    private readonly ArrayBufferWriter<byte> _failed = new(256);
    private readonly Utf8JsonWriter _rejectedWriter;
    private readonly Utf8JsonWriter _failedWriter;
    private bool _finished;

    public MapResultsReader()
    {
        _rejectedWriter = new Utf8JsonWriter(_rejected);
        _failedWriter = new Utf8JsonWriter(_failed);
        _rejectedWriter.WriteStartArray();
        _failedWriter.WriteStartArray();
    }

    public RunCounts Counts { get; private set; } = RunCounts.Zero;

    /// <summary>A batch that did not succeed could not be itemised (its input is not in the results).</summary>
    public bool Incomplete { get; private set; }

    public ReadOnlySpan<byte> RejectedJson
    {
        get
        {
            Finish();
            return _rejected.WrittenSpan;
        }
    }

    public ReadOnlySpan<byte> FailedJson
    {
        get
        {
            Finish();
            return _failed.WrittenSpan;
        }
    }

    /// <param name="succeededOnly">Read only the SUCCEEDED files: the map run was followed by a retry round, which ran
    /// its failed children again, so their outcome is that round's.</param>
    public async Task ReadAsync(IObjectStore objects, ManifestLocation location, bool succeededOnly, CancellationToken cancellationToken)
    {
        var (destination, parts) = await ReadManifestAsync(objects, location, cancellationToken);
        if (succeededOnly)
        {
            parts.RemoveAll(part => part.Group != "SUCCEEDED");
        }

        // A large file's results are dozens of files: read them side by side (on Lambda the S3 reads overlap too),
        // each into a reader of its own, then add those up in the manifest's order, so the report lists the
        // records as a one-by-one read would.
        var readers = new MapResultsReader[parts.Count];
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken };
            await Parallel.ForAsync(0, parts.Count, parallel, async (i, ct) =>
            {
                readers[i] = new MapResultsReader();
                await readers[i].ReadResultFileAsync(objects, destination, parts[i].Key, parts[i].Group, ct);
            });
            for (var i = 0; i < readers.Length; i++)
            {
                Merge(readers[i]);
                readers[i].Dispose();
                readers[i] = null!; // its rejected and failed lists go as soon as they are copied
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader?.Dispose();
            }
        }
    }

    /// <summary>The bucket the result files are in and every result file with its group, in the manifest's order.</summary>
    private static async Task<(string Destination, List<(string Group, string Key)> Parts)> ReadManifestAsync(
        IObjectStore objects, ManifestLocation location, CancellationToken cancellationToken)
    {
        using var manifest = await ReadJsonAsync(objects, location.Bucket, location.Key, cancellationToken);
        var destination = JsonInput.OptionalString(manifest.RootElement, "DestinationBucket") ?? location.Bucket;
        var files = JsonInput.Required(manifest.RootElement, "ResultFiles");
        var parts = new List<(string Group, string Key)>();
        foreach (var group in ResultGroups)
        {
            if (files.TryGetProperty(group, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                parts.AddRange(list.EnumerateArray().Select(resultFile => (group, JsonInput.RequiredString(resultFile, "Key"))));
            }
        }

        return (destination, parts);
    }

    private void Merge(MapResultsReader part)
    {
        Counts = Counts.Add(part.Counts);
        Incomplete |= part.Incomplete;
        CopyElements(part.RejectedJson, _rejectedWriter);
        CopyElements(part.FailedJson, _failedWriter);

        static void CopyElements(ReadOnlySpan<byte> array, Utf8JsonWriter into)
        {
            var reader = new Utf8JsonReader(array);
            reader.Read(); // [
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                into.WriteRawValue(array[start..(int)reader.BytesConsumed], skipInputValidation: true);
            }
        }
    }

    private async Task ReadResultFileAsync(IObjectStore objects, string bucket, string key, string group, CancellationToken cancellationToken)
    {
        await using var content = await TransientStorage.ReadAsync(() => objects.GetAsync(bucket, key, cancellationToken: cancellationToken), cancellationToken);
        using var buffer = new MemoryStream();
        await content.Content.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var text = bytes.Span.TrimStart(" \t\r\n"u8);
        if (text.Length > 0 && text[0] == (byte)'[')
        {
            using var array = JsonDocument.Parse(bytes, JsonInput.Options);
            foreach (var entry in array.RootElement.EnumerateArray())
            {
                Add(entry, group);
            }
        }
        else
        {
            // OutputType JSONL: one execution per line.
            foreach (var range in bytes.Span.Split((byte)'\n'))
            {
                var line = bytes[range];
                if (line.Span.Trim(" \t\r"u8).Length > 0)
                {
                    using var entry = JsonDocument.Parse(line, JsonInput.Options);
                    Add(entry.RootElement, group);
                }
            }
        }
    }

    private void Add(JsonElement execution, string group)
    {
        if (group == "SUCCEEDED" && !execution.TryGetProperty("ExecutionArn", out _))
        {
            // WriterConfig Transformation COMPACT or FLATTEN: the entry is the child's output itself.
            AddSucceeded(execution);
            return;
        }

        var status = JsonInput.OptionalString(execution, "Status") ?? group;
        if (status == "SUCCEEDED" && JsonInput.OptionalString(execution, "Output") is { } outputText)
        {
            using var output = JsonDocument.Parse(outputText, JsonInput.Options);
            AddSucceeded(output.RootElement);
            return;
        }

        AddUnsucceeded(execution, status);
    }

    /// <summary>A child that failed, timed out, was aborted or is pending: its records are listed from its input.</summary>
    private void AddUnsucceeded(JsonElement execution, string status)
    {
        var (error, cause) = ErrorInfo.Readable(
            JsonInput.OptionalString(execution, "Error") ?? (status == "SUCCEEDED" ? "States.NoOutput" : "States." + status),
            JsonInput.OptionalString(execution, "Cause"));
        if (JsonInput.OptionalString(execution, "Input") is not { } inputText)
        {
            Incomplete = true; // Input not included: nothing to list, so the file cannot be called done.
            return;
        }

        using var input = JsonDocument.Parse(inputText, JsonInput.Options);
        var batch = input.RootElement;

        // A child of a retry round (IngestFile's RetryFailedBatches) has the batch inside {failedBatch}, one layer a round.
        while (batch.ValueKind == JsonValueKind.Object && batch.TryGetProperty("failedBatch", out var inner))
        {
            batch = inner;
        }

        if (batch.ValueKind != JsonValueKind.Object || !batch.TryGetProperty("Items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            Incomplete = true;
            return;
        }

        if (error == DataLimitExceeded && items.GetArrayLength() == 1)
        {
            // A batch of one record that does not fit Step Functions' payload: the record itself is too large. No
            // retry can help, so it is rejected (by index, with a reason) rather than failed.
            AddTooLarge(items[0]);
            return;
        }

        AddFailed(items, error, cause);
    }

    private void AddFailed(JsonElement items, string error, string? cause)
    {
        var position = 0L;
        foreach (var item in items.EnumerateArray())
        {
            var index = JsonInput.TryGetLong(item, "index", out var given) ? given.Value : position;
            position++;
            _failedWriter.WriteStartObject();
            _failedWriter.WriteNumber("index", index);
            _failedWriter.WriteString("studentId", StudentIdOf(item));
            _failedWriter.WriteString("error", error);
            _failedWriter.WriteString("cause", cause);
            _failedWriter.WriteEndObject();
            Counts = Counts with { Received = Counts.Received + 1, Failed = Counts.Failed + 1 };
        }
    }

    private void AddTooLarge(JsonElement item)
    {
        var index = JsonInput.TryGetLong(item, "index", out var given) ? given.Value : 0;
        var bytes = item.TryGetProperty("record", out var record) ? System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(record).Length : 0;
        global::Ingestion.Functions.RejectedJson.Write(_rejectedWriter, index, StudentIdOf(item), [new Reason(
            ReasonCodes.RecordTooLarge,
            null,
            $"The record is {bytes} bytes: over the 256 KiB a Step Functions payload can carry, it cannot be validated or stored. Split or shorten it.")]);
        Counts = Counts with { Received = Counts.Received + 1, Rejected = Counts.Rejected + 1 };
    }

    private void AddSucceeded(JsonElement output)
    {
        if (output.TryGetProperty("counts", out var counts) && counts.ValueKind == JsonValueKind.Object)
        {
            // A batch neither fails nor notifies as a whole: those two counts are the run's own.
            Counts = Counts.Add(DomainJson.ReadRunCounts(counts) with { Failed = 0, Notified = 0 });
        }

        if (output.TryGetProperty("rejected", out var rejectedList) && rejectedList.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in rejectedList.EnumerateArray())
            {
                entry.WriteTo(_rejectedWriter);
            }
        }

        if (output.TryGetProperty("notified", out var notified) && notified.TryGetInt64(out var published))
        {
            Counts = Counts with { Notified = Counts.Notified + published };
        }
    }

    private static string? StudentIdOf(JsonElement item)
    {
        if (!item.TryGetProperty("record", out var record) || record.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in record.EnumerateObject())
        {
            if (string.Equals(property.Name, FieldNames.StudentId, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()?.Trim(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    _ => null,
                };
            }
        }

        return null;
    }

    private void Finish()
    {
        if (!_finished)
        {
            _rejectedWriter.WriteEndArray();
            _failedWriter.WriteEndArray();
            _rejectedWriter.Flush();
            _failedWriter.Flush();
            _finished = true;
        }
    }

    public void Dispose()
    {
        _rejectedWriter.Dispose();
        _failedWriter.Dispose();
    }

    private static async Task<JsonDocument> ReadJsonAsync(IObjectStore objects, string bucket, string key, CancellationToken cancellationToken)
    {
        await using var content = await TransientStorage.ReadAsync(() => objects.GetAsync(bucket, key, cancellationToken: cancellationToken), cancellationToken);
        return await JsonDocument.ParseAsync(content.Content, JsonInput.Options, cancellationToken);
    }
}
