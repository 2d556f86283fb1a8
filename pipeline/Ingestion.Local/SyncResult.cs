using Ingestion.States;

namespace Ingestion.Local;

/// <summary>How a NightlySync run ended, and how many objects it found in <c>incoming/</c>.</summary>
/// <remarks>
/// Counts, not a list: a backlog can be thousands of files with keys of up to 1 KB, which no Step Functions payload
/// holds. Each file has its own IngestFile execution, ledger entry (<c>ingest files list</c>) and report.
/// </remarks>
/// <param name="Files">Objects found in <c>incoming/</c> and sent through IngestFile.</param>
/// <param name="StaleFiles">Objects older than the grace period (the StaleFiles metric).</param>
/// <param name="FailedFiles">Stale objects whose ingestion failed: their reports say why.</param>
public sealed record SyncResult(
    string ExecutionArn,
    ExecutionStatus ExecutionStatus,
    long Files,
    long StaleFiles,
    long FailedFiles,
    string? Error,
    string? Cause,
    TimeSpan Duration)
{
    public bool Succeeded => ExecutionStatus == ExecutionStatus.Succeeded;
}
