namespace Ingestion.Domain.Storage;

/// <summary>What the outcome rules need to know of a stored item.</summary>
/// <param name="CreatedByLastWrite">Whether the write that produced the item created it (CreatedAt equals UpdatedAt).</param>
public readonly record struct StoredVersion(
    string SourceKey,
    string SourceVersion,
    DateTimeOffset SourceTime,
    long SourceIndex,
    string ContentHash,
    bool CreatedByLastWrite);

/// <summary>The outcome rules of <see cref="IStudentStore"/>, written once for every adapter.</summary>
public static class StoreRules
{
    /// <summary>Orders two writes by (SourceTime, SourceKey, SourceVersion, SourceIndex), strings ordinally.</summary>
    public static int CompareOrder(DateTimeOffset timeA, string keyA, string versionA, long indexA, DateTimeOffset timeB, string keyB, string versionB, long indexB)
    {
        var order = timeA.UtcTicks.CompareTo(timeB.UtcTicks);
        if (order == 0)
        {
            order = string.CompareOrdinal(keyA, keyB);
        }

        if (order == 0)
        {
            order = string.CompareOrdinal(versionA, versionB);
        }

        return order != 0 ? order : indexA.CompareTo(indexB);
    }

    /// <summary>Decides the outcome of an incoming record against the stored item (<see langword="null"/> when there is none).</summary>
    /// <remarks>Created and Updated mean: write the incoming record. Every other outcome writes nothing.</remarks>
    public static StoreOutcome Decide(StoredVersion? stored, StudentSource source, long index, string contentHash)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (stored is not { } s)
        {
            return StoreOutcome.Created;
        }

        var sameHash = string.Equals(s.ContentHash, contentHash, StringComparison.Ordinal);
        if (index == s.SourceIndex
            && string.Equals(source.Key, s.SourceKey, StringComparison.Ordinal)
            && string.Equals(source.Version, s.SourceVersion, StringComparison.Ordinal))
        {
            return sameHash ? StoreOutcome.Replayed(s.CreatedByLastWrite) : StoreOutcome.Updated;
        }

        var order = CompareOrder(source.Time, source.Key, source.Version, index, s.SourceTime, s.SourceKey, s.SourceVersion, s.SourceIndex);
        if (order < 0)
        {
            return StoreOutcome.Stale;
        }

        return sameHash ? StoreOutcome.Unchanged : StoreOutcome.Updated;
    }

    /// <summary>The stored version after writing an incoming record (used to decide later duplicates in the same batch).</summary>
    public static StoredVersion AfterWrite(StoredVersion? before, StudentSource source, long index, string contentHash)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new StoredVersion(source.Key, source.Version, source.Time, index, contentHash, CreatedByLastWrite: before is null);
    }
}
