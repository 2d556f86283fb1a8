using System.Text.Json;
using System.Threading.Channels;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Tools.Synthetic;

namespace Ingestion.Tools.Bench;

/// <summary>What the baseline is given.</summary>
/// <param name="Source">The object version the records come from (key, version, time), as the pipeline's store sees it.</param>
/// <param name="BatchSize">Records per transaction: the definition's MaxItemsPerBatch, so both do a transaction per batch.</param>
internal sealed record BaselineRun(
    string File,
    ExportFormat Format,
    string Database,
    string ReportPath,
    StudentSource Source,
    string TopicArn,
    int BatchSize,
    Action<long>? Progress = null);

/// <summary>
/// The baseline: the same durable work as the IngestFile pipeline with no orchestration at all, written for speed,
/// as the reference of what this machine can do. The file is stream-parsed; each batch of records is validated by
/// <see cref="StudentValidator"/> and hashed by <see cref="ContentHash"/> on every core; one writer stores each batch
/// in one SQLite transaction, deciding every outcome with <see cref="StoreRules"/> (one upsert per created or updated
/// student, in the pipeline's own <c>Students</c> table) and adding one <c>Outbox</c> row per notification, shaped as
/// the pipeline's; the report lists every rejected record with its reasons.
/// </summary>
internal static class BaselineIngest
{
    public static async Task<RunCounts> RunAsync(BaselineRun run, CancellationToken cancellationToken)
    {
        var workers = Math.Max(1, Environment.ProcessorCount);
        var raw = Channel.CreateBounded<RawBatch>(new BoundedChannelOptions(workers * 2) { SingleWriter = true });
        var validated = Channel.CreateBounded<ValidatedBatch>(new BoundedChannelOptions(workers * 2) { SingleReader = true });

        var reader = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    using var file = new FileStream(run.File, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                    long first = 0;
                    new RecordSplitter(file, run.Format, run.BatchSize).Read((json, count) =>
                    {
                        // The reader thread blocks while every validator is busy: memory stays at a few batches.
                        raw.Writer.WriteAsync(new RawBatch(first, json, count), cancellationToken).AsTask().GetAwaiter().GetResult();
                        first += count;
                    });
                }
                finally
                {
                    raw.Writer.Complete();
                }
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        var validators = new Task[workers];
        for (var i = 0; i < workers; i++)
        {
            validators[i] = Task.Run(
                async () =>
                {
                    await foreach (var batch in raw.Reader.ReadAllAsync(cancellationToken))
                    {
                        await validated.Writer.WriteAsync(Validate(batch), cancellationToken);
                    }
                },
                cancellationToken);
        }

        var closing = Task.WhenAll(validators).ContinueWith(t => validated.Writer.Complete(t.Exception), TaskScheduler.Default);
        var counts = await Task.Factory.StartNew(
            () => Write(run, validated.Reader, cancellationToken),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();
        await reader;
        await closing;
        return counts;
    }

    private static ValidatedBatch Validate(RawBatch batch)
    {
        using var document = JsonDocument.Parse(batch.Json);
        var valid = new List<IncomingStudent>(batch.Count);
        var rejected = new List<(long Index, ValidationResult Result)>();
        var index = batch.FirstIndex;
        foreach (var record in document.RootElement.EnumerateArray())
        {
            var result = StudentValidator.Validate(record);
            if (result.IsValid)
            {
                valid.Add(new IncomingStudent(index, result.Student!, ContentHash.Compute(result.Student!)));
            }
            else
            {
                rejected.Add((index, result));
            }

            index++;
        }

        return new ValidatedBatch(batch.Count, valid, rejected);
    }

    private static async Task<RunCounts> Write(BaselineRun run, ChannelReader<ValidatedBatch> batches, CancellationToken cancellationToken)
    {
        var reportFolder = Path.GetDirectoryName(Path.GetFullPath(run.ReportPath))!;
        Directory.CreateDirectory(reportFolder);
        var rejectedPath = run.ReportPath + ".rejected.tmp";
        var counts = RunCounts.Zero;
        using (var store = new BaselineStore(run.Database, run.TopicArn))
        await using (var rejectedFile = new FileStream(rejectedPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var rejected = new Utf8JsonWriter(rejectedFile))
        {
            rejected.WriteStartArray();
            var sourceTimeWire = TimeFormat.ToWire(run.Source.Time);
            long received = 0;
            await foreach (var batch in batches.ReadAllAsync(cancellationToken))
            {
                var stored = store.StoreBatch(run.Source, sourceTimeWire, batch.Valid);
                foreach (var (index, result) in batch.Rejected)
                {
                    WriteRejected(rejected, index, result);
                }

                counts = counts.Add(stored with { Received = batch.Count, Rejected = batch.Rejected.Count });
                received += batch.Count;
                run.Progress?.Invoke(received);
            }

            rejected.WriteEndArray();
        }

        WriteReport(run, counts, rejectedPath);
        File.Delete(rejectedPath);
        return counts;
    }

    private static void WriteRejected(Utf8JsonWriter writer, long index, ValidationResult result)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
        writer.WriteString("studentId", result.StudentId);
        writer.WriteStartArray("reasons");
        foreach (var reason in result.Reasons)
        {
            writer.WriteStartObject();
            writer.WriteString("code", reason.Code);
            writer.WriteString("field", reason.Field);
            writer.WriteString("message", reason.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The report, shaped as SummarizeRun's; the rejected list is copied from its scratch file.</summary>
    private static void WriteReport(BaselineRun run, RunCounts counts, string rejectedPath)
    {
        using var output = new FileStream(run.ReportPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("file");
            writer.WriteString("key", run.Source.Key);
            writer.WriteString("versionId", run.Source.Version);
            writer.WriteString("sourceTime", TimeFormat.ToWire(run.Source.Time));
            writer.WriteEndObject();
            writer.WriteString("status", "SUCCEEDED");
            writer.WriteString("completedAt", TimeFormat.ToWire(DateTimeOffset.UtcNow));
            writer.WritePropertyName("counts");
            DomainJson.Write(writer, counts);
            writer.WritePropertyName("rejected");
            writer.Flush();
            output.Write(" "u8);
            using (var rejected = File.OpenRead(rejectedPath))
            {
                rejected.CopyTo(output);
            }

            // The rejected array was copied in as raw text: continue the object by hand.
            output.Write(",\n  \"failed\": []\n}\n"u8);
        }
    }

    private sealed record RawBatch(long FirstIndex, ReadOnlyMemory<byte> Json, int Count);

    private sealed record ValidatedBatch(int Count, List<IncomingStudent> Valid, List<(long Index, ValidationResult Result)> Rejected);
}
