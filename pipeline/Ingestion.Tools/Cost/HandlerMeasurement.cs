using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Ingestion.Domain.Storage;
using Ingestion.Functions;
using Ingestion.Functions.Telemetry;
using Ingestion.Tools.Synthetic;

namespace Ingestion.Tools.Cost;

/// <summary>What the child's two handlers cost per batch, measured on this machine.</summary>
/// <param name="ValidateMicrosPerStudent">ValidateStudents' time per student of a full batch, on one core.</param>
/// <param name="StoreMicrosPerStudent">StoreStudents' own time per student (every student created, no database).</param>
/// <param name="ValidateLogBytes">Bytes of log lines and EMF documents one warm ValidateStudents invocation writes.</param>
/// <param name="StoreLogBytes">The same for StoreStudents.</param>
/// <param name="BatchSize">Students per measured batch.</param>
public sealed record HandlerProfile(
    double ValidateMicrosPerStudent,
    double StoreMicrosPerStudent,
    int ValidateLogBytes,
    int StoreLogBytes,
    int BatchSize);

/// <summary>
/// Runs ValidateStudents and StoreStudents in-process on synthetic batches and times them: the CPU part of their
/// Lambda duration, and the size of what they log.
/// </summary>
/// <remarks>
/// StoreStudents runs against a store that answers "created" at once, so the figure is the handler's own work
/// (parsing, content hashes, the notifications it builds), without the DynamoDB round trips or the AWS SDK's
/// request marshalling; the cost model adds the round trips. Each batch is timed several times and the fastest
/// kept, so another busy process on the machine inflates the figure as little as possible.
/// </remarks>
public static class HandlerMeasurement
{
    private const int Batches = 4;
    private const int Repeats = 5;

    public static async Task<HandlerProfile> MeasureAsync(int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var inputs = ValidateInputs(batchSize, Batches);
        var sink = new CountingSink();
        var telemetry = TelemetryOptions.To(sink);
        var validate = new ValidateStudentsFunction(telemetry);
        var store = new StoreStudentsFunction(new EveryoneCreatedStore(), telemetry);

        // Warm up both (JIT, the cold-start EMF document), and keep each batch's validated output as the store's input.
        var storeInputs = new List<byte[]>(inputs.Count);
        foreach (var input in inputs)
        {
            var validated = await ReadAllAsync(await validate.InvokeAsync(new MemoryStream(input), "measure", cancellationToken), cancellationToken);
            storeInputs.Add(validated);
            await store.InvokeAsync(new MemoryStream(validated), "measure", cancellationToken);
        }

        sink.Take();
        var validateTime = await FastestAsync(inputs, async input => await validate.InvokeAsync(new MemoryStream(input), "measure", cancellationToken), cancellationToken);
        var validateBytes = sink.Take() / (inputs.Count * Repeats);
        var storeTime = await FastestAsync(storeInputs, async input => await store.InvokeAsync(new MemoryStream(input), "measure", cancellationToken), cancellationToken);
        var storeBytes = sink.Take() / (storeInputs.Count * Repeats);

        return new HandlerProfile(
            validateTime.TotalMicroseconds / batchSize,
            storeTime.TotalMicroseconds / batchSize,
            (int)validateBytes,
            (int)storeBytes,
            batchSize);
    }

    /// <summary>The mean over batches of each batch's fastest run.</summary>
    private static async Task<TimeSpan> FastestAsync(List<byte[]> inputs, Func<byte[], Task<Stream>> invoke, CancellationToken cancellationToken)
    {
        var total = TimeSpan.Zero;
        foreach (var input in inputs)
        {
            var fastest = TimeSpan.MaxValue;
            for (var i = 0; i < Repeats; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var started = Stopwatch.GetTimestamp();
                await using (var output = await invoke(input))
                {
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    fastest = elapsed < fastest ? elapsed : fastest;
                }
            }

            total += fastest;
        }

        return total / inputs.Count;
    }

    /// <summary>ValidateStudents' input for each batch, as the Distributed Map's ItemBatcher shapes it.</summary>
    private static List<byte[]> ValidateInputs(int batchSize, int batches)
    {
        using var export = new MemoryStream();
        SyntheticStudents.Write(export, (long)batchSize * batches, ExportFormat.JsonLines);
        var lines = Encoding.UTF8.GetString(export.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var inputs = new List<byte[]>(batches);
        for (var b = 0; b < batches; b++)
        {
            var buffer = new ArrayBufferWriter<byte>(batchSize * 256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("BatchInput");
                writer.WriteStartObject("file");
                writer.WriteString("bucket", "ingestion");
                writer.WriteString("key", "incoming/students.jsonl");
                writer.WriteString("name", "students.jsonl");
                writer.WriteString("versionId", "3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY");
                writer.WriteString("etag", "9b2cf535f27731c974343645a3985328");
                writer.WriteNumber("size", export.Length);
                writer.WriteString("sourceTime", "2026-11-24T02:00:00.000Z");
                writer.WriteString("inputType", "JSONL");
                writer.WriteString("resultPrefix", "results/measure");
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteStartArray("Items");
                for (var i = b * batchSize; i < (b + 1) * batchSize; i++)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("index", i);
                    writer.WritePropertyName("record");
                    writer.WriteRawValue(lines[i]);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            inputs.Add(buffer.WrittenSpan.ToArray());
        }

        return inputs;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken);
            return copy.ToArray();
        }
    }

    /// <summary>Counts the UTF-8 bytes of the lines written (a newline each), as CloudWatch Logs would ingest them.</summary>
    private sealed class CountingSink : ILineSink
    {
        private long _bytes;

        public void WriteLine(string line) => Interlocked.Add(ref _bytes, Encoding.UTF8.GetByteCount(line) + 1);

        public long Take() => Interlocked.Exchange(ref _bytes, 0);
    }

    /// <summary>A store with nothing in it that writes instantly: every student comes out created.</summary>
    private sealed class EveryoneCreatedStore : IStudentStore
    {
        public Task<IReadOnlyList<StoreOutcome>> StoreBatchAsync(StudentSource source, IReadOnlyList<IncomingStudent> students, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<StoreOutcome>>([.. students.Select(_ => StoreOutcome.Created)]);

        public Task<StoredStudent?> GetAsync(string studentId, CancellationToken cancellationToken = default) => Task.FromResult<StoredStudent?>(null);

        public IAsyncEnumerable<StoredStudent> ListAsync(string? department = null, CancellationToken cancellationToken = default) => AsyncEnumerable.Empty<StoredStudent>();
    }
}
