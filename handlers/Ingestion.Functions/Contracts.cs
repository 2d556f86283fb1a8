using System.Text.Json.Serialization;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;

namespace Ingestion.Functions;

/// <summary>The object version being ingested: the <c>file</c> shape of handlers/README.md.</summary>
/// <param name="VersionId">The S3 version id (the ETag where the bucket is unversioned).</param>
/// <param name="SourceTime">The object's last-modified time, ISO-8601 UTC: it orders exports.</param>
/// <param name="InputType"><c>JSON</c>, <c>JSONL</c> or <c>CSV</c>, from the key's extension.</param>
/// <param name="ResultPrefix">Where the Distributed Map's ResultWriter writes, e.g. <c>results/&lt;execution name&gt;</c>.</param>
/// <param name="CsvDelimiter">A CSV file's delimiter as the ItemReader names it (<c>COMMA</c>, <c>SEMICOLON</c>, <c>TAB</c>,
/// <c>PIPE</c>), told from its header line (<see cref="CsvHeader"/>); <c>null</c> for other formats, written out all the
/// same, because the definition's Choice reads it for every file.</param>
public sealed record IngestFile(
    string Bucket,
    string Key,
    string Name,
    string VersionId,
    string? Etag,
    long Size,
    string SourceTime,
    string InputType,
    string ResultPrefix,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? CsvDelimiter = null)
{
    /// <summary>
    /// Whether an older export was outstanding when this version was registered (see <see cref="OlderExports"/>):
    /// its unchanged records then write the seen marker. Written only when true.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool OlderPending { get; init; }

    [JsonIgnore]
    public DateTimeOffset ParsedSourceTime => TimeFormat.TryParse(SourceTime, out var time)
        ? time
        : throw new InvalidHandlerInputException($"file.sourceTime '{SourceTime}' is not an ISO-8601 time.");

    public LedgerFile ToLedgerFile() => new(Bucket, Key, VersionId, Etag, Size, ParsedSourceTime);

    public StudentSource ToSource() => new(Key, VersionId, ParsedSourceTime) { OlderPending = OlderPending };
}

/// <summary>RegisterFile's output.</summary>
/// <param name="Status"><c>REGISTERED</c>, <c>ALREADY_PROCESSED</c>, <c>SKIPPED_RECENT</c>, <c>MISSING</c> or <c>IGNORED</c>.</param>
/// <param name="File">The object version; <see langword="null"/> for a folder marker (<c>IGNORED</c>), written out
/// as <c>null</c> because the definition's ResultSelector reads <c>$.Payload.file</c> whatever the status.</param>
public sealed record RegisterFileOutput(
    string Status,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] IngestFile? File);

/// <summary>SummarizeRun's output: what NotifyAdmins publishes and the execution's final output.</summary>
/// <param name="RejectionsKey">The rejections CSV beside the report.</param>
/// <param name="Callout">Why the file looks wrong, when more than half of it was rejected; null otherwise.</param>
/// <param name="Summary">The summary by reason, commonest first (as the report has it): what NightlySync's digest adds up
/// over the night's files. Its length is the number of (code, field) pairs met, however many records were rejected.</param>
public sealed record RunSummary(
    string Status,
    string Key,
    string? ReportKey,
    RunCounts Counts,
    string Subject,
    string Message,
    string? RejectionsKey = null,
    string? Callout = null,
    IReadOnlyList<Reports.ReasonCount>? Summary = null);

/// <summary>SummarizeRun's output in <c>digest</c> mode: NightlySync's counts, and the digest PublishDigest sends to AdminAlerts.</summary>
/// <param name="Total">Objects found in <c>incoming/</c> and sent through IngestFile.</param>
/// <param name="Stale">Those older than the grace period (the StaleFiles metric).</param>
/// <param name="Failed">Stale objects whose ingestion failed.</param>
public sealed record SyncDigest(long Total, long Stale, long Failed, string Subject, string Message);

/// <summary>The status values RegisterFile returns.</summary>
public static class RegistrationStatuses
{
    public const string Registered = "REGISTERED";
    public const string AlreadyProcessed = "ALREADY_PROCESSED";
    public const string SkippedRecent = "SKIPPED_RECENT";
    public const string Missing = "MISSING";

    /// <summary>A folder marker (a key ending in <c>/</c>, as the S3 console creates): not a file.</summary>
    public const string Ignored = "IGNORED";
}

/// <summary>The Distributed Map's results cannot be found where the file says they are.</summary>
public sealed class ResultsNotFoundException(string message) : IngestionException(message);

/// <summary>Limits a function enforces.</summary>
/// <param name="MaxFileBytes">Files over this are rejected (quarantined); <c>MAX_FILE_BYTES</c>.</param>
public sealed record HandlerLimits(long MaxFileBytes = HandlerLimits.DefaultMaxFileBytes)
{
    public const long DefaultMaxFileBytes = 1L << 30;
}
