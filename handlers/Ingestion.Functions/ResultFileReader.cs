using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Students;
using Ingestion.Functions.Reports;

namespace Ingestion.Functions;

/// <summary>One result file of a map run: its children's counts, and their rejected and failed records into the run's spools.</summary>
/// <remarks>
/// Every record of a batch that did not succeed is failed (and retryable), except a batch of one record that failed
/// with <c>States.DataLimitExceeded</c>: that record is too large for any retry, and is rejected with
/// <c>RECORD_TOO_LARGE</c>. Each child's records go to a spool as one run (a batch's records are in index order).
/// </remarks>
internal sealed class ResultFileReader(IndexedSpool rejected, IndexedSpool failed)
{
    private const string DataLimitExceeded = "States.DataLimitExceeded";

    private readonly RunBuilder _run = new();
    private readonly ArrayBufferWriter<byte> _scratch = new(1024);

    public RunCounts Counts { get; private set; } = RunCounts.Zero;

    /// <summary>A batch that did not succeed could not be itemised (its input is not in the results).</summary>
    public bool Incomplete { get; private set; }

    public Task ReadAsync(Domain.Storage.IObjectStore objects, string bucket, string key, string group, CancellationToken cancellationToken) =>
        ResultFiles.ReadEntriesAsync(objects, bucket, key, entry => Add(entry, group), cancellationToken);

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
            _run.Add(index, Write(writer =>
            {
                writer.WriteStartObject();
                writer.WriteNumber("index", index);
                writer.WriteString("studentId", StudentIdOf(item));
                writer.WriteString("error", error);
                writer.WriteString("cause", cause);
                writer.WriteEndObject();
            }));
            Counts = Counts with { Received = Counts.Received + 1, Failed = Counts.Failed + 1 };
        }

        failed.Append(_run);
    }

    private void AddTooLarge(JsonElement item)
    {
        var index = JsonInput.TryGetLong(item, "index", out var given) ? given.Value : 0;
        var bytes = item.TryGetProperty("record", out var record) ? JsonMarshal.GetRawUtf8Value(record).Length : 0;
        _run.Add(index, Write(writer => RejectedJson.Write(writer, index, StudentIdOf(item), [new Reason(
            ReasonCodes.RecordTooLarge,
            null,
            $"The record is {bytes} bytes: over the 256 KiB a Step Functions payload can carry, it cannot be validated or stored. Split or shorten it.")])));
        rejected.Append(_run);
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
            var position = 0L;
            foreach (var entry in rejectedList.EnumerateArray())
            {
                _run.Add(JsonInput.TryGetLong(entry, "index", out var index) ? index.Value : position, JsonMarshal.GetRawUtf8Value(entry));
                position++;
            }

            rejected.Append(_run);
        }

        if (output.TryGetProperty("notified", out var notified) && notified.TryGetInt64(out var published))
        {
            Counts = Counts with { Notified = Counts.Notified + published };
        }
    }

    /// <summary>JSON written by <paramref name="write"/>, valid until the next call.</summary>
    private ReadOnlySpan<byte> Write(Action<Utf8JsonWriter> write)
    {
        _scratch.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_scratch, FunctionOutput.WriterOptions))
        {
            write(writer);
        }

        return _scratch.WrittenSpan;
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
}
