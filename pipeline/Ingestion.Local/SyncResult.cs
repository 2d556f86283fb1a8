using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.States;

namespace Ingestion.Local;

/// <summary>How a NightlySync run ended, and what it did with each object it found in <c>incoming/</c>.</summary>
/// <param name="StaleFiles">Objects older than the grace period (the StaleFiles metric).</param>
public sealed record SyncResult(
    string ExecutionArn,
    ExecutionStatus ExecutionStatus,
    IReadOnlyList<SyncedFile> Files,
    long StaleFiles,
    string? Error,
    string? Cause,
    TimeSpan Duration)
{
    public bool Succeeded => ExecutionStatus == ExecutionStatus.Succeeded;
}

/// <summary>One object NightlySync found.</summary>
/// <param name="Outcome">IngestFile's status for it: <c>SUCCEEDED</c>, <c>SKIPPED_RECENT</c>, <c>ALREADY_PROCESSED</c>, <c>MISSING</c>, or <c>FAILED</c>.</param>
/// <param name="Stale">Older than the grace period: its own event was missed or its earlier run failed.</param>
public sealed record SyncedFile(string Key, string Outcome, bool Stale);
