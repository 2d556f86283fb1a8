using System.Buffers;
using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Functions.Telemetry;

namespace Ingestion.Functions;

/// <summary>
/// StoreStudents: writes ValidateStudents' valid students idempotently (one store batch), and returns per-record
/// outcomes, counts and the SNS PublishBatch entries for created, updated and replayed students.
/// </summary>
public sealed class StoreStudentsFunction
{
    private readonly IStudentStore _store;
    private readonly FunctionTelemetry _telemetry;
    private readonly TimeProvider _clock;

    /// <summary>For the Lambda runtime: configuration from environment variables.</summary>
    public StoreStudentsFunction()
        : this(HandlerRuntime.Store, HandlerRuntime.Telemetry)
    {
    }

    public StoreStudentsFunction(IStudentStore store, TelemetryOptions telemetry, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _clock = clock ?? TimeProvider.System;
        _telemetry = new FunctionTelemetry(telemetry, "StoreStudents", _clock);
    }

    /// <summary>The Lambda entry point.</summary>
    public Task<Stream> HandleAsync(Stream input) => InvokeAsync(input);

    /// <summary>The entry point for in-process callers (the local runtime), with a request id and cancellation.</summary>
    public async Task<Stream> InvokeAsync(Stream input, string? requestId = null, CancellationToken cancellationToken = default)
    {
        var started = _clock.GetTimestamp();
        using var document = await JsonInput.ParseAsync(input, "StoreStudents", cancellationToken);
        var root = document.RootElement;
        var file = JsonInput.Deserialize(JsonInput.Required(root, "file"), FunctionsJsonContext.Default.IngestFile, "file");
        var valid = JsonInput.Required(root, "valid");
        var rejected = JsonInput.TryGet(root, "rejected", out var rejectedElement) ? rejectedElement : default;
        var rejectedCount = rejected.ValueKind == JsonValueKind.Array ? rejected.GetArrayLength() : 0;
        var invocation = _telemetry.Begin(requestId, file.Key);

        var students = new List<IncomingStudent>(valid.GetArrayLength());
        foreach (var entry in valid.EnumerateArray())
        {
            var index = JsonInput.TryGetLong(entry, "index", out var given) ? given.Value : throw new InvalidHandlerInputException("A valid entry has no 'index'.");
            var student = StudentJson.Read(JsonInput.Required(entry, "student"));
            // From the fields: a student without extras (most) is hashed without sorting or decoding its property names.
            students.Add(new IncomingStudent(index, student, ContentHash.Compute(student)));
        }

        var source = file.ToSource();
        var outcomes = await _store.StoreBatchAsync(source, students, cancellationToken);
        var counts = Count(outcomes, rejectedCount, JsonInput.TryGetLong(root, "received", out var received) ? received.Value : students.Count + rejectedCount);

        var output = FunctionOutput.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("counts");
            DomainJson.Write(writer, counts);
            writer.WritePropertyName("rejected");
            if (rejected.ValueKind == JsonValueKind.Array)
            {
                rejected.WriteTo(writer);
            }
            else
            {
                writer.WriteStartArray();
                writer.WriteEndArray();
            }

            // Indices by outcome, not an object per record: the whole result must fit Step Functions' 256 KiB payload.
            writer.WriteStartObject("outcomes");
            foreach (var kind in Enum.GetValues<StoreOutcomeKind>())
            {
                writer.WriteStartArray(StoreOutcome.NameOf(kind));
                for (var i = 0; i < students.Count; i++)
                {
                    if (outcomes[i].Kind == kind)
                    {
                        writer.WriteNumberValue(students[i].Index);
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteStartArray("notifications");
            var message = new ArrayBufferWriter<byte>(512);
            // Relaxed as the output: non-ASCII text stays UTF-8 inside the Message string instead of \uXXXX escaped twice.
            using var body = new Utf8JsonWriter(message, FunctionOutput.WriterOptions);
            var sourceTime = TimeFormat.ToWire(source.Time);
            for (var i = 0; i < students.Count; i++)
            {
                if (outcomes[i].Notifies)
                {
                    WriteNotification(writer, body, message, sourceTime, students[i], outcomes[i]);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

        var elapsed = _clock.GetElapsedTime(started);
        var metrics = invocation.Metrics;
        metrics.AddMetadata("fileKey", file.Key);
        metrics.AddMetric(MetricNames.StudentsCreated, MetricUnit.Count, counts.Created);
        metrics.AddMetric(MetricNames.StudentsUpdated, MetricUnit.Count, counts.Updated);
        metrics.AddMetric(MetricNames.StudentsUnchanged, MetricUnit.Count, counts.Unchanged);
        metrics.AddMetric(MetricNames.StudentsReplayed, MetricUnit.Count, counts.Replayed);
        metrics.AddMetric(MetricNames.StudentsStale, MetricUnit.Count, counts.Stale);
        metrics.AddMetric(MetricNames.BatchDuration, MetricUnit.Milliseconds, Math.Round(elapsed.TotalMilliseconds, 3));
        metrics.Flush();
        invocation.Logger.Info(
            "Stored batch",
            ("received", counts.Received),
            ("created", counts.Created),
            ("updated", counts.Updated),
            ("unchanged", counts.Unchanged),
            ("replayed", counts.Replayed),
            ("stale", counts.Stale),
            ("rejected", counts.Rejected),
            ("durationMs", Math.Round(elapsed.TotalMilliseconds, 3)));
        return output;
    }

    private static RunCounts Count(IReadOnlyList<StoreOutcome> outcomes, int rejected, long received)
    {
        long created = 0, updated = 0, unchanged = 0, replayed = 0, stale = 0;
        foreach (var outcome in outcomes)
        {
            switch (outcome.Kind)
            {
                case StoreOutcomeKind.Created: created++; break;
                case StoreOutcomeKind.Updated: updated++; break;
                case StoreOutcomeKind.Unchanged: unchanged++; break;
                case StoreOutcomeKind.Replayed: replayed++; break;
                default: stale++; break;
            }
        }

        return new RunCounts(received, created, updated, unchanged, replayed, stale, rejected);
    }

    /// <summary>One SNS PublishBatchRequestEntry: an id, the <see cref="StudentNotification"/> body and attributes.</summary>
    /// <remarks>
    /// Every field is bounded (StudentID ≤ 64, Department ≤ 100 characters, a fixed-size hash and time), so a full
    /// batch of entries stays inside Step Functions' 256 KiB payload whatever the file is called.
    /// </remarks>
    private static void WriteNotification(Utf8JsonWriter writer, Utf8JsonWriter body, ArrayBufferWriter<byte> message, string sourceTime, IncomingStudent incoming, StoreOutcome outcome)
    {
        message.ResetWrittenCount();
        body.Reset(message);
        StudentNotification.WriteBody(body, incoming, outcome, sourceTime);
        body.Flush();

        Span<byte> id = stackalloc byte[24];
        id[0] = (byte)'r';
        incoming.Index.TryFormat(id[1..], out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        writer.WriteStartObject();
        writer.WriteString("Id", id[..(digits + 1)]);
        // The body's UTF-8 goes in as the Message string: no UTF-16 copy of it.
        writer.WriteString("Message", message.WrittenSpan);
        writer.WritePropertyName("MessageAttributes");
        StudentNotification.WriteAttributes(writer, incoming, outcome);
        writer.WriteEndObject();
    }
}
