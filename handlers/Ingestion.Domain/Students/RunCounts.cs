namespace Ingestion.Domain.Students;

/// <summary>The fate of every record of one file (or one batch, where failed and notified stay 0).</summary>
/// <remarks>Invariant per file: received = created + updated + unchanged + replayed + stale + rejected + failed.</remarks>
public sealed record RunCounts(
    long Received = 0,
    long Created = 0,
    long Updated = 0,
    long Unchanged = 0,
    long Replayed = 0,
    long Stale = 0,
    long Rejected = 0,
    long Failed = 0,
    long Notified = 0)
{
    public static RunCounts Zero { get; } = new();

    /// <summary>Whether received equals the sum of the fates.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsBalanced => Received == Created + Updated + Unchanged + Replayed + Stale + Rejected + Failed;

    public RunCounts Add(RunCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new RunCounts(
            Received + other.Received,
            Created + other.Created,
            Updated + other.Updated,
            Unchanged + other.Unchanged,
            Replayed + other.Replayed,
            Stale + other.Stale,
            Rejected + other.Rejected,
            Failed + other.Failed,
            Notified + other.Notified);
    }
}
