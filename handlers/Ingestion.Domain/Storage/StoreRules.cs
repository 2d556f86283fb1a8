namespace Ingestion.Domain.Storage;

/// <summary>What the outcome rules need to know of a stored item.</summary>
/// <param name="CreatedByLastWrite">Whether the write that produced the item created it (CreatedAt equals UpdatedAt).</param>
/// <param name="SeenTime">The newest source time that confirmed the stored content without writing it (see <see cref="StoreRules.MarksSeen"/>); null when none did.</param>
public readonly record struct StoredVersion(
    string SourceKey,
    string SourceVersion,
    DateTimeOffset SourceTime,
    long SourceIndex,
    string ContentHash,
    bool CreatedByLastWrite,
    DateTimeOffset? SeenTime = null);

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

        // A newer export confirmed the stored content: an export older than that one must not bring back what it replaced.
        if (!sameHash && s.SeenTime is { } seen && source.Time.UtcTicks < seen.UtcTicks)
        {
            return StoreOutcome.Stale;
        }

        var order = CompareOrder(source.Time, source.Key, source.Version, index, s.SourceTime, s.SourceKey, s.SourceVersion, s.SourceIndex);
        if (order < 0)
        {
            return StoreOutcome.Stale;
        }

        return sameHash ? StoreOutcome.Unchanged : StoreOutcome.Updated;
    }

    /// <summary>Whether an <see cref="StoreOutcomeKind.Unchanged"/> record must write the seen marker (<see cref="StoredVersion.SeenTime"/>).</summary>
    /// <remarks>
    /// Only when its file was registered while an older export was still outstanding
    /// (<see cref="StudentSource.OlderPending"/>), and only when it moves the marker forward: a nightly re-run with
    /// nothing outstanding writes nothing for its unchanged records.
    /// </remarks>
    public static bool MarksSeen(StoredVersion stored, StudentSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var confirmed = stored.SeenTime is { } seen && seen.UtcTicks > stored.SourceTime.UtcTicks ? seen : stored.SourceTime;
        return source.OlderPending && source.Time.UtcTicks > confirmed.UtcTicks;
    }

    /// <summary>The stored version after writing the seen marker of <paramref name="source"/>.</summary>
    public static StoredVersion AfterSeen(StoredVersion stored, StudentSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return stored with { SeenTime = source.Time };
    }

    /// <summary>The stored version after writing an incoming record (used to decide later duplicates in the same batch).</summary>
    public static StoredVersion AfterWrite(StoredVersion? before, StudentSource source, long index, string contentHash)
    {
        ArgumentNullException.ThrowIfNull(source);
        // A write keeps the seen marker (the adapters leave it in place): it can only be older than the new SourceTime,
        // save for a same-version rewrite, where keeping it is the safe side.
        return new StoredVersion(source.Key, source.Version, source.Time, index, contentHash, CreatedByLastWrite: before is null, before?.SeenTime);
    }
}
