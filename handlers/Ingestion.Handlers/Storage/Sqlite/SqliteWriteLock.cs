using System.Collections.Concurrent;

namespace Ingestion.Handlers.Storage.Sqlite;

/// <summary>
/// One writer at a time per database file within this process. The adapters that write one file (the student store,
/// the ledger, the local outbox) take turns here before <c>BEGIN IMMEDIATE</c>, so a writer waits for another in
/// the process and starts the moment it is done, instead of in SQLite's busy handler, which sleeps 1 to 100 ms
/// between retries while the lock may already be free. Writers in other processes still meet SQLite's own lock and
/// busy timeout.
/// </summary>
public static class SqliteWriteLock
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    /// <summary>The lock of the database file at <paramref name="path"/> (one per full path, for the life of the process).</summary>
    public static SemaphoreSlim For(string path) => Locks.GetOrAdd(Path.GetFullPath(path), _ => new SemaphoreSlim(1, 1));
}
