using System.Collections.Concurrent;

namespace Ingestion.Storage.Local.Sqlite;

/// <summary>
/// One writer at a time per database file within this process. The adapters that write one file (the student store
/// and the ledger share one; the local outbox has its own) take turns here before <c>BEGIN IMMEDIATE</c>, so a
/// writer waits for another in the process and starts the moment it is done, instead of in SQLite's busy handler,
/// which sleeps 1 to 100 ms between retries while the lock may already be free. Writers in other processes still
/// meet SQLite's own lock and busy timeout.
/// </summary>
/// <remarks>
/// Waits are asynchronous and first come, first served: a synchronous waiter would always be served before an
/// asynchronous one (<see cref="SemaphoreSlim"/> wakes blocked threads first), so a stream of store batches starved
/// the outbox of the lock and every notification waited for a gap. A caller that wants to do the waiting itself
/// (a profiler timing the work inside the lock) enters with <see cref="EnterAsync"/>; an adapter called in that
/// flow then finds the lock held (<see cref="IsHeldHere"/>) and does not wait for it again.
/// </remarks>
internal static class SqliteWriteLock
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);
    private static readonly AsyncLocal<string?> Held = new();

    /// <summary>The lock of the database file at <paramref name="path"/> (one per full path, for the life of the process).</summary>
    public static SemaphoreSlim For(string path) => Locks.GetOrAdd(Path.GetFullPath(path), _ => new SemaphoreSlim(1, 1));

    /// <summary>Whether the current flow entered the lock of <paramref name="path"/> with <see cref="EnterAsync"/>.</summary>
    public static bool IsHeldHere(string path) => Held.Value is { } held && string.Equals(held, Path.GetFullPath(path), StringComparison.Ordinal);

    /// <summary>
    /// Waits for the lock of <paramref name="path"/> and marks the current flow as holding it until
    /// <paramref name="work"/> completes.
    /// </summary>
    public static async Task<T> EnterAsync<T>(string path, Func<Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var full = Path.GetFullPath(path);
        var semaphore = For(full);
        await semaphore.WaitAsync(cancellationToken);
        try
        {
            // Set here, inside this method's flow: what it calls (work) sees it; the caller's flow is left unmarked.
            Held.Value = full;
            return await work();
        }
        finally
        {
            Held.Value = null;
            semaphore.Release();
        }
    }
}
