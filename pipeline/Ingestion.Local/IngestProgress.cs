namespace Ingestion.Local;

/// <summary>Where the ingestion of one file stands.</summary>
public enum IngestPhase
{
    /// <summary>RegisterFile: the ledger is consulted, the map has not started.</summary>
    Registering,

    /// <summary>The Distributed Map reads the file and runs batches.</summary>
    Processing,

    /// <summary>The map is done: SummarizeRun writes the report, the admins are told.</summary>
    Summarizing,

    Finished,
}

/// <summary>
/// A snapshot of one file's ingestion, from the map run's counters and the bytes its reader has pulled. The number
/// of students is known only once the file has been read; until then <see cref="EstimatedTotal"/> extrapolates it
/// from the share of the file read so far.
/// </summary>
/// <param name="StudentsRead">Records the reader has produced so far.</param>
/// <param name="StudentsProcessed">Records whose batch has ended (succeeded or not).</param>
/// <param name="StudentsFailed">Records whose batch failed.</param>
/// <param name="Elapsed">Time since the map run started (zero before).</param>
public readonly record struct IngestProgress(
    IngestPhase Phase,
    long StudentsRead,
    long StudentsProcessed,
    long StudentsFailed,
    long BytesRead,
    long FileBytes,
    TimeSpan Elapsed)
{
    /// <summary>The exact number of students, once the map run has ended.</summary>
    public long? Total => Phase >= IngestPhase.Summarizing ? StudentsRead : null;

    /// <summary>The exact total when known, else an extrapolation from the bytes read; null before anything is read.</summary>
    public long? EstimatedTotal => Total
        ?? (BytesRead > 0 && StudentsRead > 0 && FileBytes > 0 ? Math.Max(StudentsRead, (long)Math.Round(StudentsRead * (double)FileBytes / BytesRead)) : null);

    /// <summary>Students processed per second since the map run started.</summary>
    public double StudentsPerSecond => Elapsed > TimeSpan.Zero ? StudentsProcessed / Elapsed.TotalSeconds : 0;

    /// <summary>
    /// The database file (its path) a writer of the run has been waiting for past a moment: another process holds its
    /// write lock, and the counts stand still until it lets go; null when no writer waits.
    /// </summary>
    public string? LockedDatabase { get; init; }
}
