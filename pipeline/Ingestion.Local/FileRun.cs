using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.States;
using Ingestion.States.Json;

namespace Ingestion.Local;

/// <summary>One file's IngestFile execution, started by its Object Created event: watch its progress, await its result.</summary>
public sealed class FileRun
{
    private readonly LocalPipeline _pipeline;
    private readonly long _started;
    private readonly Lazy<Task<FileRunResult>> _result;
    private long _bytesReadAtEnd = -1;

    internal FileRun(LocalPipeline pipeline, Execution execution, ObjectInfo @object, string? sourceFile)
    {
        _pipeline = pipeline;
        Execution = execution;
        Object = @object;
        SourceFile = sourceFile;
        _started = pipeline.Clock.GetTimestamp();
        _result = new Lazy<Task<FileRunResult>>(BuildResultAsync);
    }

    public Execution Execution { get; }

    /// <summary>The object version the event announced.</summary>
    public ObjectInfo Object { get; }

    /// <summary>The local file that was uploaded, when there was one.</summary>
    public string? SourceFile { get; }

    public IngestProgress Progress => Counts with { LockedDatabase = _pipeline.LockedDatabase() };

    private IngestProgress Counts
    {
        get
        {
            var bytes = Interlocked.Read(ref _bytesReadAtEnd) is >= 0 and var final ? final : _pipeline.ReadTracking.BytesRead(Object.Bucket, Object.Key, Object.VersionId);
            if (Execution.MapRuns is not [var mapRun, ..])
            {
                return new IngestProgress(Execution.Status == ExecutionStatus.Running ? IngestPhase.Registering : IngestPhase.Finished, 0, 0, 0, bytes, Object.Size, TimeSpan.Zero);
            }

            var items = mapRun.Progress.Items;
            var phase = Execution.Status != ExecutionStatus.Running ? IngestPhase.Finished
                : mapRun.Status == "RUNNING" ? IngestPhase.Processing
                : IngestPhase.Summarizing;
            var elapsed = (mapRun.StopDate ?? _pipeline.Clock.GetUtcNow()) - mapRun.StartDate;
            var failed = items.Failed + items.TimedOut + items.Aborted;
            return new IngestProgress(phase, items.Total, items.Succeeded + failed, failed, bytes, Object.Size, elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed);
        }
    }

    /// <summary>Waits for the execution to end; cancelling <paramref name="abort"/> stops it (it then ends ABORTED).</summary>
    public async Task<FileRunResult> CompleteAsync(CancellationToken abort = default)
    {
        using (abort.Register(() => Execution.Stop(LocalPipeline.StoppedError, LocalPipeline.StoppedCause)))
        {
            await Execution.Completion;
        }

        return await _result.Value;
    }

    /// <summary>The file's ledger entry, read again after a throttled or unreachable store; null if it stays so.</summary>
    private async Task<LedgerEntry?> LedgerEntryAsync()
    {
        try
        {
            return await TransientStorage.ReadAsync(() => _pipeline.Ledger.GetAsync(Object.Bucket, Object.Key, Object.VersionId ?? Object.ETag), CancellationToken.None);
        }
        catch (Exception e) when (e is StorageThrottledException or StorageUnreachableException)
        {
            return null; // The run's outcome stands; its counts are in its report, and in `ingest files` once the store answers.
        }
    }

    private async Task<FileRunResult> BuildResultAsync()
    {
        var outcome = await Execution.Completion;
        // A stopped run's counts so far reach the ledger when the pipeline settles it.
        await _pipeline.WhenSettledAsync(Execution);
        var duration = _pipeline.Clock.GetElapsedTime(_started);
        Interlocked.Exchange(ref _bytesReadAtEnd, _pipeline.ReadTracking.BytesRead(Object.Bucket, Object.Key, Object.VersionId));
        _pipeline.ReadTracking.Forget(Object.Bucket, Object.Key, Object.VersionId);
        var (status, counts, reportKey, callout) = Interpret(outcome);
        if (counts is null)
        {
            // A failed execution has no output: the ledger holds what SummarizeRun recorded (a stopped one, what its
            // finished batches did), the report the callout.
            var entry = await LedgerEntryAsync();
            counts = entry?.Counts;
            reportKey ??= entry?.ReportKey;
            callout ??= reportKey is null ? null : await ReadCalloutAsync(reportKey);
        }

        return new FileRunResult(
            SourceFile,
            Object.Key,
            Object.VersionId,
            Execution.Name,
            Execution.Arn,
            outcome.Status,
            status,
            counts ?? RunCounts.Zero,
            reportKey,
            outcome.Error,
            outcome.Cause,
            duration,
            callout);
    }

    private async Task<string?> ReadCalloutAsync(string reportKey)
    {
        using var report = await ReadOrNullAsync();
        return report?.RootElement.TryGetProperty("callout", out var callout) == true && callout.ValueKind == System.Text.Json.JsonValueKind.Object
            && callout.TryGetProperty("message", out var message) ? message.GetString() : null;

        async Task<System.Text.Json.JsonDocument?> ReadOrNullAsync()
        {
            try
            {
                return await _pipeline.ReadReportAsync(reportKey);
            }
            catch (DamagedFileException)
            {
                return null; // a damaged report costs the run line its callout; `ingest report` says what is wrong
            }
        }
    }

    private static (string Status, RunCounts? Counts, string? ReportKey, string? Callout) Interpret(ExecutionResult outcome)
    {
        if (outcome.Status != ExecutionStatus.Succeeded)
        {
            var status = outcome.Status switch
            {
                ExecutionStatus.TimedOut => "TIMED_OUT",
                ExecutionStatus.Aborted => "ABORTED",
                _ when outcome.Error == "FileQuarantined" => "QUARANTINED",
                _ => "FAILED",
            };
            return (status, null, null, null);
        }

        // SummarizeRun's summary, or RegisterFile's answer when there was nothing to do.
        var output = outcome.Output as JObject;
        var reported = (output?.Get("status") as JString)?.Value ?? "SUCCEEDED";
        var reportKey = (output?.Get("reportKey") as JString)?.Value;
        var callout = (output?.Get("callout") as JString)?.Value;
        return (reported, output?.Get("counts") is JObject counts ? ReadCounts(counts) : RunCounts.Zero, reportKey, callout);
    }

    private static RunCounts ReadCounts(JObject counts) => DomainJson.ReadRunCounts(counts.ToUtf8Bytes());
}
