using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Functions.Telemetry;

namespace Ingestion.Functions;

/// <summary>
/// RegisterFile: looks the object up for its authoritative version, size and time, and registers that version
/// in the ledger with a conditional write, so each version is ingested once. See handlers/README.md.
/// </summary>
public sealed class RegisterFileFunction
{
    private readonly IObjectStore _objects;
    private readonly IFileLedger _ledger;
    private readonly FunctionTelemetry _telemetry;
    private readonly TimeProvider _clock;
    private readonly HandlerLimits _limits;

    /// <summary>For the Lambda runtime: configuration from environment variables.</summary>
    public RegisterFileFunction()
        : this(HandlerRuntime.Objects, HandlerRuntime.Ledger, HandlerRuntime.Telemetry, TimeProvider.System, HandlerRuntime.Settings.Limits)
    {
    }

    public RegisterFileFunction(IObjectStore objects, IFileLedger ledger, TelemetryOptions telemetry, TimeProvider? clock = null, HandlerLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(ledger);
        _objects = objects;
        _ledger = ledger;
        _clock = clock ?? TimeProvider.System;
        _limits = limits ?? new HandlerLimits();
        _telemetry = new FunctionTelemetry(telemetry, "RegisterFile", _clock);
    }

    /// <summary>The Lambda entry point.</summary>
    public Task<Stream> HandleAsync(Stream input) => InvokeAsync(input);

    /// <summary>The entry point for in-process callers (the local runtime), with a request id and cancellation.</summary>
    /// <exception cref="FileRejectedException">The file can never be ingested: the definition quarantines it.</exception>
    public async Task<Stream> InvokeAsync(Stream input, string? requestId = null, CancellationToken cancellationToken = default)
    {
        using var document = await JsonInput.ParseAsync(input, "RegisterFile", cancellationToken);
        var root = document.RootElement;
        var executionName = JsonInput.RequiredString(root, "executionName");
        var detail = JsonInput.Required(root, "event.detail");
        var bucket = JsonInput.RequiredString(detail, "bucket.name");
        var key = JsonInput.RequiredString(detail, "object.key");
        var invocation = _telemetry.Begin(requestId, executionName);
        var log = invocation.Logger;

        if (key.EndsWith('/'))
        {
            log.Info("Ignored a folder marker", ("bucket", bucket), ("key", key));
            return Output(RegistrationStatuses.Ignored, null);
        }

        if (!ObjectKey.TryValidate(key, out var keyProblem))
        {
            log.Warn("Rejected a file with an invalid key", ("bucket", bucket), ("reason", keyProblem));
            throw new FileRejectedException("INVALID_KEY", $"The key is not valid: {keyProblem}.");
        }

        // The version the event names, not whatever is current now: two uploads of one name at once are two files.
        var eventVersion = JsonInput.OptionalString(detail, "object.version-id");
        var head = await _objects.HeadAsync(bucket, key, eventVersion, cancellationToken);
        if (head is null && EventKey.Decoded(key) is { } decoded && ObjectKey.TryValidate(decoded, out _)
            && await _objects.HeadAsync(bucket, decoded, eventVersion, cancellationToken) is { } found)
        {
            log.Info("The event's key was URL-encoded; using the decoded key", ("bucket", bucket), ("key", decoded));
            (key, head) = (decoded, found);
        }

        if (head is null)
        {
            // A late duplicate of an event whose version was ingested (the object has since moved to archive/) is
            // already processed, as it would be had it come while the object was still there.
            if (eventVersion is not null
                && await _ledger.GetAsync(bucket, key, eventVersion, cancellationToken) is { } seen)
            {
                log.Info("File version already processed; the object has moved on", ("key", key), ("versionId", eventVersion), ("ledgerStatus", seen.Status.ToWire()));
                return Output(RegistrationStatuses.AlreadyProcessed, FromEvent(root, bucket, key, executionName));
            }

            log.Info("Object is gone; nothing to ingest", ("bucket", bucket), ("key", key));
            return Output(RegistrationStatuses.Missing, FromEvent(root, bucket, key, executionName));
        }

        var inputType = InputTypeOf(key)
            ?? throw Rejected(log, key, "UNSUPPORTED_EXTENSION", $"'{ObjectKey.FileName(key)}' is not a .json, .jsonl, .ndjson or .csv file.");
        if (head.Size > _limits.MaxFileBytes)
        {
            throw Rejected(log, key, "FILE_TOO_LARGE", $"The file is {head.Size} bytes, over the limit of {_limits.MaxFileBytes}.");
        }

        // A source time after now (a file stamped 2099 dropped into incoming/) would make every later export of its
        // students stale, and the nightly sync would find it too recent every night: it is taken as now.
        var now = _clock.GetUtcNow();
        var sourceTime = head.LastModified;
        if (sourceTime > now)
        {
            log.Warn("The file's time is in the future; taken as now", ("key", key), ("lastModified", TimeFormat.ToWire(sourceTime)), ("now", TimeFormat.ToWire(now)));
            sourceTime = now;
        }

        var file = new IngestFile(
            bucket,
            key,
            ObjectKey.FileName(key),
            head.VersionId ?? head.ETag,
            head.ETag,
            head.Size,
            TimeFormat.ToWire(sourceTime),
            inputType,
            "results/" + executionName);

        if (JsonInput.TryGetLong(detail, "graceSeconds", out var grace) && now - sourceTime < TimeSpan.FromSeconds(grace.Value))
        {
            log.Info("Object is younger than the grace period; its own event is on the way", ("key", key), ("graceSeconds", grace.Value));
            return Output(RegistrationStatuses.SkippedRecent, file);
        }

        var registration = await _ledger.RegisterAsync(file.ToLedgerFile(), executionName, now, cancellationToken);
        var status = registration.Status == RegistrationStatus.Registered ? RegistrationStatuses.Registered : RegistrationStatuses.AlreadyProcessed;
        if (status == RegistrationStatuses.Registered
            && await OlderExports.FindAsync(_objects, _ledger, file, sourceTime, cancellationToken) is { } older)
        {
            // Decided once, at registration: every batch gets it through the ItemBatcher's BatchInput.
            log.Info("An older export is outstanding; unchanged records will mark their students seen", ("key", key), ("older", older));
            file = file with { OlderPending = true };
        }

        if (status == RegistrationStatuses.Registered && inputType == "CSV")
        {
            file = file with { CsvDelimiter = await CsvDelimiterAsync(file, log, cancellationToken) };
        }

        log.Info(
            status == RegistrationStatuses.Registered ? "Registered file" : "File version already processed",
            ("key", key),
            ("versionId", file.VersionId),
            ("size", file.Size),
            ("attempt", registration.Entry.Attempts),
            ("ledgerStatus", registration.Entry.Status.ToWire()));
        return Output(status, file);
    }

    /// <summary>The registered version's delimiter, from its header line: the first bytes are read, never the whole file.</summary>
    private async Task<string> CsvDelimiterAsync(IngestFile file, PowertoolsCompatibleLogger log, CancellationToken cancellationToken)
    {
        try
        {
            await using var content = await _objects.GetAsync(file.Bucket, file.Key, file.VersionId, cancellationToken);
            var delimiter = await CsvHeader.DelimiterOfAsync(content.Content, cancellationToken);
            log.Info("Read the CSV header", ("key", file.Key), ("csvDelimiter", delimiter));
            return delimiter;
        }
        catch (ObjectNotFoundException)
        {
            // Gone since HEAD: the ItemReader will find it gone too, and the file is quarantined with why.
            return CsvHeader.Comma;
        }
    }

    /// <summary><c>JSON</c>, <c>JSONL</c> or <c>CSV</c> from the key's extension; null when unsupported.</summary>
    public static string? InputTypeOf(string key)
    {
        var extension = Path.GetExtension(ObjectKey.FileName(key)).ToLowerInvariant();
        return extension switch
        {
            ".json" => "JSON",
            ".jsonl" or ".ndjson" => "JSONL",
            ".csv" => "CSV",
            _ => null,
        };
    }

    private static FileRejectedException Rejected(PowertoolsCompatibleLogger log, string key, string code, string message)
    {
        log.Warn("Rejected a file that can never be ingested", ("key", key), ("code", code), ("reason", message));
        return new FileRejectedException(code, message);
    }

    private static IngestFile FromEvent(JsonElement root, string bucket, string key, string executionName)
    {
        // S3 listings (NightlySync's events) quote the ETag; S3 events and HEAD do not.
        var etag = JsonInput.OptionalString(root, "event.detail.object.etag")?.Trim('"');
        return new IngestFile(
            bucket,
            key,
            ObjectKey.FileName(key),
            JsonInput.OptionalString(root, "event.detail.object.version-id") ?? etag ?? "unknown",
            etag,
            JsonInput.TryGet(root, "event.detail.object.size", out var size) && size.TryGetInt64(out var bytes) ? bytes : 0,
            JsonInput.OptionalString(root, "event.time") ?? "1970-01-01T00:00:00.000Z",
            InputTypeOf(key) ?? "JSON",
            "results/" + executionName);
    }

    private static Stream Output(string status, IngestFile? file) =>
        FunctionOutput.Serialize(new RegisterFileOutput(status, file), FunctionsJsonContext.Default.RegisterFileOutput);
}
