using Ingestion.Domain.Students;

namespace Ingestion.Domain.Storage;

/// <summary>The students table, keyed by StudentID, written idempotently in batches.</summary>
/// <remarks>
/// <para>
/// Every write carries its source, and the stored item keeps the source of the write that produced it. Writes
/// order by (SourceTime, SourceKey, SourceVersion, SourceIndex), strings compared ordinally. For an incoming
/// record r against the stored item s:
/// </para>
/// <list type="bullet">
/// <item>no s: <see cref="StoreOutcomeKind.Created"/>;</item>
/// <item>same SourceKey, SourceVersion and SourceIndex: <see cref="StoreOutcomeKind.Replayed"/> when the content hash is the same (no write), else updated;</item>
/// <item>r orders before s, or r's content differs and its source time is older than s's seen marker (a newer export that confirmed s's content): <see cref="StoreOutcomeKind.Stale"/>, never written;</item>
/// <item>r orders after s: <see cref="StoreOutcomeKind.Unchanged"/> when the content hash is the same (no write: it costs a read, not a write), else <see cref="StoreOutcomeKind.Updated"/>.</item>
/// </list>
/// <para>
/// The seen marker (<see cref="StoredStudent.SeenTime"/>) is written for an unchanged record only when its source
/// says an older export was outstanding at registration (<see cref="StudentSource.OlderPending"/>) and the marker
/// moves forward (<see cref="StoreRules.MarksSeen"/>); it is conditioned, like a write, on the item decided against.
/// </para>
/// <para>
/// Duplicates of one StudentID within a batch resolve by the same rules in index order, so the last occurrence in
/// a file wins whatever order its batches run in. Concurrent writers (threads, processes, Lambdas) lose no update.
/// </para>
/// </remarks>
public interface IStudentStore
{
    /// <summary>Writes a batch and returns one outcome per student, in the order of <paramref name="students"/>.</summary>
    Task<IReadOnlyList<StoreOutcome>> StoreBatchAsync(StudentSource source, IReadOnlyList<IncomingStudent> students, CancellationToken cancellationToken = default);

    /// <summary>The stored student, or <see langword="null"/>.</summary>
    Task<StoredStudent?> GetAsync(string studentId, CancellationToken cancellationToken = default);

    /// <summary>Every stored student (of one department when given), ordered by StudentID.</summary>
    IAsyncEnumerable<StoredStudent> ListAsync(string? department = null, CancellationToken cancellationToken = default);
}

/// <summary>Where a batch of students comes from: the object version and its time.</summary>
/// <param name="Key">The object's key, e.g. <c>incoming/students.json</c>.</param>
/// <param name="Version">The S3 version id (the ETag where the bucket is unversioned).</param>
/// <param name="Time">The object's last-modified time: it orders exports.</param>
public sealed record StudentSource(string Key, string Version, DateTimeOffset Time)
{
    /// <summary>
    /// Whether an older export was outstanding when this file version was registered (in <c>incoming/</c>, or an
    /// older version of the key in progress or failed): its unchanged records then write the seen marker, so that
    /// the older export, processed later, comes out stale instead of overwriting this newer one.
    /// </summary>
    public bool OlderPending { get; init; }
}

/// <summary>A valid student to store, with its index in the file and its <see cref="ContentHash"/>.</summary>
public readonly record struct IncomingStudent(long Index, Student Student, string ContentHash)
{
    public static IncomingStudent Create(long index, Student student) => new(index, student, Students.ContentHash.Compute(student));
}

/// <summary>What a store write did to one record.</summary>
public enum StoreOutcomeKind
{
    Created,
    Updated,
    Unchanged,
    Replayed,
    Stale,
}

/// <summary>The outcome of storing one record; a closed set with named factories.</summary>
public readonly record struct StoreOutcome
{
    private StoreOutcome(StoreOutcomeKind kind, bool replayOfCreate)
    {
        Kind = kind;
        ReplayOfCreate = replayOfCreate;
    }

    public StoreOutcomeKind Kind { get; }

    /// <summary>For <see cref="StoreOutcomeKind.Replayed"/>: whether the replayed write had created the student.</summary>
    public bool ReplayOfCreate { get; }

    public static StoreOutcome Created { get; } = new(StoreOutcomeKind.Created, false);

    public static StoreOutcome Updated { get; } = new(StoreOutcomeKind.Updated, false);

    public static StoreOutcome Unchanged { get; } = new(StoreOutcomeKind.Unchanged, false);

    public static StoreOutcome Stale { get; } = new(StoreOutcomeKind.Stale, false);

    /// <summary>A re-run of the write that produced the stored item.</summary>
    /// <param name="ofCreate">Whether that write created the student (its CreatedAt equals its UpdatedAt).</param>
    public static StoreOutcome Replayed(bool ofCreate) => new(StoreOutcomeKind.Replayed, ofCreate);

    /// <summary>Created, updated and replayed students are announced (replays again: at-least-once).</summary>
    public bool Notifies => Kind is StoreOutcomeKind.Created or StoreOutcomeKind.Updated or StoreOutcomeKind.Replayed;

    /// <summary>The wire name: <c>created</c>, <c>updated</c>, <c>unchanged</c>, <c>replayed</c>, <c>stale</c>.</summary>
    public string Name => NameOf(Kind);

    /// <summary>The wire name of an outcome kind.</summary>
    public static string NameOf(StoreOutcomeKind kind) => kind switch
    {
        StoreOutcomeKind.Created => "created",
        StoreOutcomeKind.Updated => "updated",
        StoreOutcomeKind.Unchanged => "unchanged",
        StoreOutcomeKind.Replayed => "replayed",
        _ => "stale",
    };

    /// <summary>The change a notification announces: <c>created</c> or <c>updated</c> (a replay repeats the original change); null when nobody is notified.</summary>
    public string? ChangeType => Kind switch
    {
        StoreOutcomeKind.Created => "created",
        StoreOutcomeKind.Updated => "updated",
        StoreOutcomeKind.Replayed => ReplayOfCreate ? "created" : "updated",
        _ => null,
    };

    public override string ToString() => Kind == StoreOutcomeKind.Replayed ? $"replayed ({ChangeType})" : Name;
}

/// <summary>A stored student item.</summary>
/// <param name="CreatedAt">First time seen; never changed.</param>
/// <param name="UpdatedAt">The time of the last write.</param>
public sealed record StoredStudent(
    string StudentId,
    string Name,
    string Department,
    string Email,
    string? ExtrasJson,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string SourceKey,
    string SourceVersion,
    DateTimeOffset SourceTime,
    long SourceIndex,
    string ContentHash)
{
    /// <summary>The newest source time that confirmed this content without writing it (an unchanged record of a newer export); null when none did.</summary>
    public DateTimeOffset? SeenTime { get; init; }

    public Student ToStudent() => new(StudentId, Name, Department, Email, ExtrasJson);
}
