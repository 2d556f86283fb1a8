using System.Globalization;
using System.Text;
using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Functions.Reports;
using Ingestion.Functions.Telemetry;

namespace Ingestion.Functions;

/// <summary>
/// SummarizeRun: reads the Distributed Map's ResultWriter output, writes the file version's report and rejections CSV
/// (<see cref="ReportKeys"/>), completes the ledger entry, moves the object to <c>archive/</c> when every record was processed (to
/// <c>quarantine/</c> when it could not be read; a file with failed records stays in <c>incoming/</c>, FAILED and
/// retryable), emits the run metrics and returns the summary the admins are sent. See handlers/README.md. In
/// <c>digest</c> mode, NightlySync's: adds up the night's files from its map's results into the nightly digest.
/// </summary>
/// <remarks>
/// The ResultWriter layout is AWS's: <c>&lt;prefix&gt;/&lt;map run id&gt;/manifest.json</c> lists result files under
/// <c>ResultFiles.SUCCEEDED/FAILED/PENDING</c>; each file is a JSON array (or JSON Lines) of child executions with
/// <c>Status</c>, <c>Input</c> and <c>Output</c> as JSON strings, and <c>Error</c>/<c>Cause</c> when they failed. With
/// WriterConfig Transformation COMPACT (what IngestFile asks for), a succeeded child's entry is its output alone.
/// Every record of a batch that did not succeed is listed in the report as failed (and retryable), except a batch of
/// one record that failed with <c>States.DataLimitExceeded</c>: that record is too large for any retry, and is
/// listed as rejected with <c>RECORD_TOO_LARGE</c>. When IngestFile ran failed batches again, the rounds are read in
/// order (<see cref="ResultRounds"/>): a batch's outcome is that of the last round that ran it.
/// </remarks>
public sealed class SummarizeRunFunction
{
    private readonly IObjectStore _objects;
    private readonly IFileLedger _ledger;
    private readonly FunctionTelemetry _telemetry;
    private readonly TimeProvider _clock;
    private readonly string? _consoleRegion;

    /// <summary>For the Lambda runtime: configuration from environment variables.</summary>
    public SummarizeRunFunction()
        : this(HandlerRuntime.Objects, HandlerRuntime.Ledger, HandlerRuntime.Telemetry, consoleRegion: HandlerRuntime.Settings.AwsRegion)
    {
    }

    /// <param name="consoleRegion">The AWS region the e-mail's console links name; null (locally) for no links.</param>
    public SummarizeRunFunction(IObjectStore objects, IFileLedger ledger, TelemetryOptions telemetry, TimeProvider? clock = null, string? consoleRegion = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(ledger);
        _objects = objects;
        _ledger = ledger;
        _clock = clock ?? TimeProvider.System;
        _consoleRegion = consoleRegion;
        _telemetry = new FunctionTelemetry(telemetry, "SummarizeRun", _clock);
    }

    /// <summary>The Lambda entry point.</summary>
    public Task<Stream> HandleAsync(Stream input) => InvokeAsync(input);

    /// <summary>The entry point for in-process callers (the local runtime), with a request id and cancellation.</summary>
    public async Task<Stream> InvokeAsync(Stream input, string? requestId = null, CancellationToken cancellationToken = default)
    {
        using var document = await JsonInput.ParseAsync(input, "SummarizeRun", cancellationToken);
        var root = document.RootElement;
        var mode = JsonInput.RequiredString(root, "mode");
        var executionName = JsonInput.RequiredString(root, "executionName");
        var invocation = _telemetry.Begin(requestId, executionName);
        return mode switch
        {
            "complete" => FunctionOutput.Serialize(await CompleteAsync(root, executionName, invocation, cancellationToken), FunctionsJsonContext.Default.RunSummary),
            "quarantine" => FunctionOutput.Serialize(await QuarantineAsync(root, executionName, invocation, cancellationToken), FunctionsJsonContext.Default.RunSummary),
            "digest" => FunctionOutput.Serialize(await DigestAsync(root, invocation, cancellationToken), FunctionsJsonContext.Default.SyncDigest),
            _ => throw new InvalidHandlerInputException($"Input 'mode' must be 'complete', 'quarantine' or 'digest', not '{mode}'."),
        };
    }

    /// <summary>NightlySync's digest: the night's files added up from its map's results (<see cref="NightlyDigest"/>).</summary>
    private async Task<SyncDigest> DigestAsync(JsonElement root, InvocationTelemetry invocation, CancellationToken cancellationToken)
    {
        var bucket = JsonInput.RequiredString(root, "bucket");
        var night = new NightlyDigest(JsonInput.RequiredString(root, "syncTime"), JsonInput.TryGetLong(root, "graceSeconds", out var grace) ? grace : null);
        if (JsonInput.OptionalString(root, "files.ResultWriterDetails.Key") is { } manifestKey)
        {
            try
            {
                await night.ReadAsync(_objects, new ManifestLocation(JsonInput.OptionalString(root, "files.ResultWriterDetails.Bucket") ?? bucket, manifestKey), cancellationToken);
            }
            catch (ObjectNotFoundException e) when (e.Key == manifestKey)
            {
                // A map over an empty incoming/ may end without a manifest: a night with no files.
                invocation.Logger.Info("No results manifest: no files were found", ("manifestKey", manifestKey));
            }
        }

        var digest = night.Write(bucket, _consoleRegion);
        invocation.Logger.Info("Nightly digest built", ("files", digest.Total), ("stale", digest.Stale), ("failed", digest.Failed), ("rejected", night.Counts.Rejected));
        return digest;
    }

    private async Task<RunSummary> CompleteAsync(JsonElement root, string executionName, InvocationTelemetry invocation, CancellationToken cancellationToken)
    {
        var file = JsonInput.Deserialize(JsonInput.Required(root, "file"), FunctionsJsonContext.Default.IngestFile, "file");

        // `map` is the Map state's output (naming the manifest), or the error its Catch caught.
        var mapError = ReadError(root, "map");
        using var results = new MapResultsReader();
        IReadOnlyList<ManifestLocation> rounds = await ResultRounds.FindAsync(_objects, file, cancellationToken) is { Count: > 0 } found ? found
            : JsonInput.OptionalString(root, "map.ResultWriterDetails.Key") is { } manifestKey
                ? [new ManifestLocation(JsonInput.OptionalString(root, "map.ResultWriterDetails.Bucket") ?? file.Bucket, manifestKey)]
                : [];
        for (var round = 0; round < rounds.Count; round++)
        {
            await results.ReadAsync(_objects, rounds[round], succeededOnly: round < rounds.Count - 1, cancellationToken);
        }

        if (rounds.Count == 0 && mapError is null)
        {
            throw new ResultsNotFoundException($"No ResultWriter manifest under '{file.ResultPrefix}/' in bucket '{file.Bucket}'.");
        }
        else if (rounds.Count == 0 && mapError is not null)
        {
            invocation.Logger.Warn("The map failed before writing results", ("resultPrefix", file.ResultPrefix), ("error", mapError.Error));
        }

        // Any record that did not get processed keeps the file where it is: FAILED, listed in the report, retryable
        // (the nightly sync, a re-sent event, `ingest redrive`). A map that failed may also have left batches unstarted,
        // which no result file names, so a caught map error is FAILED whatever the results say.
        var counts = results.Counts;
        var status = mapError is null && counts.Failed == 0 && !results.Incomplete ? FileStatus.Succeeded : FileStatus.Failed;
        var reportKey = ReportKeys.Report(file.Name, file.ParsedSourceTime, file.VersionId, executionName);
        var completedAt = _clock.GetUtcNow();
        using var analysis = await RejectionAnalysis.BuildAsync(_objects, file, counts.Received, results.Rejected, invocation.Logger, cancellationToken);
        results.Rejected.Dispose(); // read into the analysis: its disk goes before the report's is taken
        await RunReport.WriteAsync(_objects, reportKey, file, status, executionName, completedAt, counts, analysis, results.Failed, mapError, cancellationToken);
        if (!await _ledger.CompleteAsync(file.ToLedgerFile(), new FileCompletion(status, executionName, completedAt, counts, reportKey, mapError), cancellationToken))
        {
            invocation.Logger.Warn("Another execution holds the ledger entry now; completion not recorded", ("key", file.Key), ("versionId", file.VersionId));
        }

        if (status == FileStatus.Succeeded)
        {
            await MoveAsync(file, "archive/" + file.Name, invocation.Logger, cancellationToken);
        }
        else
        {
            invocation.Logger.Warn("Records failed; the file stays in incoming/ to be retried", ("key", file.Key), ("failed", counts.Failed), ("incomplete", results.Incomplete));
        }

        if (!counts.IsBalanced)
        {
            invocation.Logger.Error("Counts do not add up: received differs from the sum of the outcomes", null, ("received", counts.Received));
        }

        Emit(invocation, file.Key, executionName, quarantined: false, counts);
        invocation.Logger.Info("Run summarized", ("key", file.Key), ("status", status.ToWire()), ("received", counts.Received), ("rejected", counts.Rejected), ("failed", counts.Failed), ("notified", counts.Notified), ("reportKey", reportKey), ("callout", analysis.Callout?.Cause));
        return Summary(file.Key, file.Name, status, reportKey, counts, mapError, file, analysis);
    }

    private async Task<RunSummary> QuarantineAsync(JsonElement root, string executionName, InvocationTelemetry invocation, CancellationToken cancellationToken)
    {
        var error = ReadError(root, "error") ?? new ErrorInfo("States.Unknown", "The file could not be read.");
        // `state` is the execution's state: the input event, plus `registration` when RegisterFile got that far.
        var state = JsonInput.TryGet(root, "state", out var stateElement) ? stateElement : root;
        var file = JsonInput.TryGet(state, "registration.file", out var fileElement) || JsonInput.TryGet(root, "file", out fileElement)
            ? JsonInput.Deserialize(fileElement, FunctionsJsonContext.Default.IngestFile, "file")
            : FromEvent(JsonInput.TryGet(state, "event", out var wrapped) ? wrapped : state, executionName);
        var counts = RunCounts.Zero;
        var keyIsValid = ObjectKey.TryValidate(file.Key, out _);
        var reportKey = keyIsValid && TimeFormat.TryParse(file.SourceTime, out var sourceTime)
            ? ReportKeys.Report(file.Name, sourceTime, file.VersionId, executionName)
            : $"reports/{executionName}{ReportKeys.ReportSuffix}";
        var completedAt = _clock.GetUtcNow();
        using (var nothing = RejectionAnalysis.Empty())
        {
            await RunReport.WriteAsync(_objects, reportKey, file, FileStatus.Quarantined, executionName, completedAt, counts, nothing, failed: null, error, cancellationToken);
        }

        await _ledger.CompleteAsync(file.ToLedgerFile(), new FileCompletion(FileStatus.Quarantined, executionName, completedAt, counts, reportKey, error), cancellationToken);
        if (keyIsValid)
        {
            await MoveAsync(file, "quarantine/" + file.Name, invocation.Logger, cancellationToken);
        }

        Emit(invocation, file.Key, executionName, quarantined: true, counts);
        invocation.Logger.Warn("File quarantined", ("key", file.Key), ("error", error.Error), ("cause", error.Cause), ("reportKey", reportKey));
        return Summary(file.Key, file.Name, FileStatus.Quarantined, reportKey, counts, error, file, null);
    }

    private static IngestFile FromEvent(JsonElement objectCreated, string executionName)
    {
        var detail = JsonInput.Required(objectCreated, "detail");
        var key = JsonInput.RequiredString(detail, "object.key");
        // S3 listings (NightlySync's events) quote the ETag; S3 events and HEAD do not.
        var etag = JsonInput.OptionalString(detail, "object.etag")?.Trim('"');
        return new IngestFile(
            JsonInput.RequiredString(detail, "bucket.name"),
            key,
            ObjectKey.FileName(key),
            JsonInput.OptionalString(detail, "object.version-id") ?? etag ?? "unknown",
            etag,
            JsonInput.TryGet(detail, "object.size", out var size) && size.TryGetInt64(out var bytes) ? bytes : 0,
            JsonInput.OptionalString(objectCreated, "time") ?? "1970-01-01T00:00:00.000Z",
            RegisterFileFunction.InputTypeOf(key) ?? "JSON",
            "results/" + executionName);
    }

    private static ErrorInfo? ReadError(JsonElement root, string name) =>
        JsonInput.TryGet(root, name, out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("Error", out _)
            ? ErrorInfo.Readable(JsonInput.OptionalString(error, "Error") ?? "States.Unknown", JsonInput.OptionalString(error, "Cause"))
            : null;

    private async Task MoveAsync(IngestFile file, string destination, PowertoolsCompatibleLogger log, CancellationToken cancellationToken)
    {
        try
        {
            // Exactly the version this run read: a newer upload of the same name has its own event and stays. A file
            // known only by its ETag (an event without a version id, as the nightly sync sends for an unreadable
            // file) names no version: the current object moves.
            var version = string.Equals(file.VersionId, file.Etag, StringComparison.Ordinal) ? null : file.VersionId;
            await _objects.MoveAsync(file.Bucket, file.Key, destination, version, cancellationToken);
        }
        catch (ObjectNotFoundException)
        {
            log.Info("Object version already moved", ("key", file.Key), ("versionId", file.VersionId), ("destination", destination));
        }
    }

    private static void Emit(InvocationTelemetry invocation, string key, string executionName, bool quarantined, RunCounts counts)
    {
        var metrics = invocation.Metrics;
        metrics.AddMetadata("fileKey", key);
        metrics.AddMetadata("executionName", executionName);
        metrics.AddMetric(quarantined ? MetricNames.FilesQuarantined : MetricNames.FilesProcessed, MetricUnit.Count, 1);
        metrics.AddMetric(MetricNames.StudentsReceived, MetricUnit.Count, counts.Received);
        metrics.AddMetric(MetricNames.StudentsRejected, MetricUnit.Count, counts.Rejected);
        metrics.AddMetric(MetricNames.StudentsFailed, MetricUnit.Count, counts.Failed);
        metrics.AddMetric(MetricNames.NotificationsPublished, MetricUnit.Count, counts.Notified);
        metrics.Flush();
    }

    private RunSummary Summary(string key, string name, FileStatus status, string reportKey, RunCounts counts, ErrorInfo? error, IngestFile file, RejectionAnalysis? analysis)
    {
        var wire = status.ToWire();
        var subject = AlertSubject.Build("Ingestion: ", name, status == FileStatus.Quarantined
            ? " QUARANTINED (could not be read)"
            : $" {wire} ({counts.Received} received, {counts.Rejected} rejected{(counts.Failed > 0 ? $", {counts.Failed} failed" : string.Empty)}){(analysis?.Callout is null ? string.Empty : " CHECK FILE")}");
        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"File: {key} (version {file.VersionId}, {file.Size} bytes)\n")
            .Append(CultureInfo.InvariantCulture, $"Status: {wire}\n");
        AdminMessage.AppendCallout(message, analysis?.Callout);
        if (status == FileStatus.Quarantined)
        {
            message.Append(CultureInfo.InvariantCulture, $"The file could not be read and was moved to quarantine/{name}.\n")
                .Append(CultureInfo.InvariantCulture, $"Reason: {error?.Error}: {PowertoolsCompatibleLogger.MaskText(error?.Cause ?? string.Empty)}\n");
        }
        else
        {
            message.Append(CultureInfo.InvariantCulture, $"Received {counts.Received} students: {counts.Created} created, {counts.Updated} updated, {counts.Unchanged} unchanged, {counts.Replayed} replayed, {counts.Stale} stale, {counts.Rejected} rejected, {counts.Failed} failed.\n")
                .Append(CultureInfo.InvariantCulture, $"Notifications sent: {counts.Notified}.\n");
            AdminMessage.AppendSummary(message, counts.Rejected, analysis?.Summary ?? []);
            if (counts.Rejected > 0)
            {
                message.Append("Rejected records are in the rejections spreadsheet below, a row each with its reasons and fields: fix them (at the source, or in the sheet without its first four columns) and upload them as a new file.\n");
            }

            if (status == FileStatus.Failed)
            {
                message.Append(counts.Failed > 0
                        ? "Failed records did not get processed; they are listed in the report. "
                        : "The run did not finish every batch. ")
                    .Append(CultureInfo.InvariantCulture, $"The file stays in {key} and is retried by the nightly sync; to retry now, send its event again (locally: ingest redrive {name}). Records already stored are not written twice.\n");
            }

            if (error is not null)
            {
                message.Append(CultureInfo.InvariantCulture, $"Error: {error.Error}: {PowertoolsCompatibleLogger.MaskText(error.Cause ?? string.Empty)}\n");
            }
        }

        var rejectionsKey = ReportKeys.Rejections(reportKey);
        if (counts.Rejected > 0)
        {
            AdminMessage.AppendLocation(message, "Rejections spreadsheet", file.Bucket, rejectionsKey, _consoleRegion);
        }

        AdminMessage.AppendLocation(message, "Report", file.Bucket, reportKey, _consoleRegion);
        return new RunSummary(wire, key, reportKey, counts, subject, message.ToString(), rejectionsKey, analysis?.Callout?.Message, analysis?.Summary ?? []);
    }
}

/// <summary>Where a map run's <c>manifest.json</c> is.</summary>
internal sealed record ManifestLocation(string Bucket, string Key);
