using Ingestion.Domain.Students;

namespace Ingestion.Domain.Storage;

/// <summary>The <c>IngestionFiles</c> ledger: one entry per object version, so each version is ingested once.</summary>
/// <remarks>
/// Key: <c>bucket/key</c> and version. Registration is a conditional insert that also succeeds when the entry is
/// <see cref="FileStatus.Failed"/> (a retry), <see cref="FileStatus.InProgress"/> under the same execution name (a
/// retried RegisterFile must not see itself as a duplicate), or <see cref="FileStatus.InProgress"/> with an
/// expired lease (a crashed run must not block the file forever).
/// </remarks>
public interface IFileLedger
{
    Task<RegistrationResult> RegisterAsync(LedgerFile file, string executionName, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Records how the run ended. Creates the entry when there is none (a file rejected before registration).</summary>
    /// <returns><see langword="false"/> when another execution has taken the entry over (its lease had expired): nothing is written.</returns>
    Task<bool> CompleteAsync(LedgerFile file, FileCompletion completion, CancellationToken cancellationToken = default);

    Task<LedgerEntry?> GetAsync(string bucket, string key, string version, CancellationToken cancellationToken = default);

    /// <summary>History, newest registration first; of one key when <paramref name="key"/> is given.</summary>
    IAsyncEnumerable<LedgerEntry> ListAsync(string? key = null, int limit = 100, CancellationToken cancellationToken = default);
}

/// <summary>The object version a ledger entry is about.</summary>
/// <param name="Version">The S3 version id, or the ETag where the bucket is unversioned.</param>
public sealed record LedgerFile(string Bucket, string Key, string Version, string? ETag, long Size, DateTimeOffset SourceTime);

/// <summary>Where an ingestion of a file version stands.</summary>
public enum FileStatus
{
    InProgress,
    Succeeded,
    Failed,
    Quarantined,
}

/// <summary>The wire names of <see cref="FileStatus"/>: <c>IN_PROGRESS</c>, <c>SUCCEEDED</c>, <c>FAILED</c>, <c>QUARANTINED</c>.</summary>
public static class FileStatusNames
{
    public static string ToWire(this FileStatus status) => status switch
    {
        FileStatus.InProgress => "IN_PROGRESS",
        FileStatus.Succeeded => "SUCCEEDED",
        FileStatus.Failed => "FAILED",
        _ => "QUARANTINED",
    };

    public static FileStatus Parse(string value) => value switch
    {
        "IN_PROGRESS" => FileStatus.InProgress,
        "SUCCEEDED" => FileStatus.Succeeded,
        "FAILED" => FileStatus.Failed,
        "QUARANTINED" => FileStatus.Quarantined,
        _ => throw new FormatException($"Unknown file status '{value}'."),
    };
}

/// <summary>How a run ended.</summary>
public sealed record FileCompletion(
    FileStatus Status,
    string ExecutionName,
    DateTimeOffset CompletedAt,
    RunCounts? Counts = null,
    string? ReportKey = null,
    ErrorInfo? Error = null);

/// <summary>One ledger entry.</summary>
/// <param name="Attempts">How many times the version was registered (1 on the first run; retries add one).</param>
public sealed record LedgerEntry(
    string Bucket,
    string Key,
    string Version,
    string? ETag,
    long Size,
    DateTimeOffset SourceTime,
    FileStatus Status,
    string ExecutionName,
    DateTimeOffset RegisteredAt,
    int Attempts,
    DateTimeOffset? CompletedAt = null,
    RunCounts? Counts = null,
    string? ReportKey = null,
    ErrorInfo? Error = null);

/// <summary>Whether a registration went through.</summary>
public enum RegistrationStatus
{
    Registered,
    AlreadyProcessed,
}

/// <summary>The result of <see cref="IFileLedger.RegisterAsync"/>: the status and the entry as it now stands.</summary>
public readonly record struct RegistrationResult(RegistrationStatus Status, LedgerEntry Entry)
{
    public static RegistrationResult Registered(LedgerEntry entry) => new(RegistrationStatus.Registered, entry);

    public static RegistrationResult AlreadyProcessed(LedgerEntry entry) => new(RegistrationStatus.AlreadyProcessed, entry);
}
