namespace Ingestion.Domain.Storage;

/// <summary>What a registration does to the ledger entry.</summary>
public enum RegistrationDecision
{
    /// <summary>No entry: insert one, IN_PROGRESS, attempt 1.</summary>
    Insert,

    /// <summary>A FAILED entry or an expired lease: this execution takes the entry over (attempts + 1).</summary>
    TakeOver,

    /// <summary>IN_PROGRESS under this very execution (a retried RegisterFile): registered, nothing to write.</summary>
    AlreadyMine,

    /// <summary>Done, quarantined, or in progress under another live execution.</summary>
    AlreadyProcessed,
}

/// <summary>The registration and completion rules of <see cref="IFileLedger"/>, written once for every adapter.</summary>
public static class LedgerRules
{
    public static RegistrationDecision DecideRegistration(LedgerEntry? existing, string executionName, DateTimeOffset now, TimeSpan lease)
    {
        if (existing is null)
        {
            return RegistrationDecision.Insert;
        }

        return existing.Status switch
        {
            FileStatus.Failed => RegistrationDecision.TakeOver,
            FileStatus.InProgress when existing.ExecutionName == executionName => RegistrationDecision.AlreadyMine,
            FileStatus.InProgress when now - existing.RegisteredAt > lease => RegistrationDecision.TakeOver,
            _ => RegistrationDecision.AlreadyProcessed,
        };
    }

    /// <summary>Completion is recorded unless another execution holds the entry now.</summary>
    public static bool MayComplete(LedgerEntry? existing, string executionName) =>
        existing is null || existing.ExecutionName == executionName;

    /// <summary>The entry an <see cref="RegistrationDecision.Insert"/> or <see cref="RegistrationDecision.TakeOver"/> writes.</summary>
    public static LedgerEntry Registered(LedgerFile file, LedgerEntry? existing, string executionName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new LedgerEntry(
            file.Bucket, file.Key, file.Version, file.ETag, file.Size, file.SourceTime,
            FileStatus.InProgress, executionName, now, (existing?.Attempts ?? 0) + 1);
    }

    /// <summary>
    /// The entry a completion writes when <see cref="MayComplete"/> allows it: the existing one with the outcome, or,
    /// when the registration was lost, a first attempt registered at completion time.
    /// </summary>
    public static LedgerEntry Completed(LedgerFile file, LedgerEntry? existing, FileCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(completion);
        var entry = existing ?? new LedgerEntry(
            file.Bucket, file.Key, file.Version, file.ETag, file.Size, file.SourceTime,
            completion.Status, completion.ExecutionName, completion.CompletedAt, 1);
        return entry with
        {
            Status = completion.Status,
            CompletedAt = completion.CompletedAt,
            Counts = completion.Counts,
            ReportKey = completion.ReportKey,
            Error = completion.Error,
        };
    }
}
