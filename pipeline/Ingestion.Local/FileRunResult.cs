using Ingestion.Domain.Students;
using Ingestion.States;

namespace Ingestion.Local;

/// <summary>How the ingestion of one file ended.</summary>
/// <param name="File">The file given to <c>ingest run</c>, or null for a file found in the bucket.</param>
/// <param name="Key">The object's key, e.g. <c>incoming/students.json</c>.</param>
/// <param name="Status">
/// <c>SUCCEEDED</c>, <c>FAILED</c> (records failed: they are in the report, and the file stays in <c>incoming/</c> to
/// be retried), <c>QUARANTINED</c> (the file
/// could not be read), <c>ALREADY_PROCESSED</c>, <c>SKIPPED_RECENT</c> or <c>MISSING</c> (nothing to do),
/// <c>TIMED_OUT</c> or <c>ABORTED</c>.
/// </param>
/// <param name="ReportKey">The report's key in the bucket (one per object version); null when none was written.</param>
/// <param name="Callout">Why the file looks wrong, when more than half of its records were rejected; null otherwise.</param>
public sealed record FileRunResult(
    string? File,
    string Key,
    string? VersionId,
    string ExecutionName,
    string ExecutionArn,
    ExecutionStatus ExecutionStatus,
    string Status,
    RunCounts Counts,
    string? ReportKey,
    string? Error,
    string? Cause,
    TimeSpan Duration,
    string? Callout = null)
{
    /// <summary>The execution succeeded: every record is stored or rejected with a reason (or there was nothing to do).</summary>
    public bool Succeeded => ExecutionStatus == ExecutionStatus.Succeeded;
}
