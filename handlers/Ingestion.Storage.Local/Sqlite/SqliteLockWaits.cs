using System.Collections.Concurrent;
using System.Diagnostics;

namespace Ingestion.Storage.Local.Sqlite;

/// <summary>
/// Which writers of this process are waiting for a database's write lock, and for how long: what lets a progress line
/// say that the database is locked by another process, instead of showing a count that has stopped moving.
/// </summary>
/// <remarks>
/// A writer takes the lock (<c>BEGIN IMMEDIATE</c>, or a write of its own) after its turn among this process's writers
/// of the file (<see cref="SqliteWriteLock"/>), so a long wait here is for a connection outside the process: another
/// <c>ingest</c>, a <c>sqlite3</c> shell in a transaction. SQLite does the waiting inside the call, in its busy handler,
/// up to the busy timeout; SQLitePCLRaw lets no handler of ours in, so the call is timed from outside.
/// </remarks>
public static class SqliteLockWaits
{
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<long, long>> Waiting = new(StringComparer.Ordinal);
    private static long _lastWait;

    /// <summary>How long the writer of this process that has waited longest for the write lock of <paramref name="path"/> has been waiting; null when none is.</summary>
    public static TimeSpan? Longest(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Waiting.TryGetValue(Path.GetFullPath(path), out var waits) || waits.IsEmpty)
        {
            return null;
        }

        var since = waits.Values.DefaultIfEmpty(long.MaxValue).Min();
        return since == long.MaxValue ? null : Stopwatch.GetElapsedTime(since);
    }

    /// <summary>Runs <paramref name="take"/>, a statement that takes the write lock of <paramref name="path"/>, counted as waiting until it returns.</summary>
    internal static T Take<T>(string path, Func<T> take)
    {
        var waits = Waiting.GetOrAdd(Path.GetFullPath(path), _ => new ConcurrentDictionary<long, long>());
        var id = Interlocked.Increment(ref _lastWait);
        waits[id] = Stopwatch.GetTimestamp();
        try
        {
            return take();
        }
        finally
        {
            waits.TryRemove(id, out _);
        }
    }

    /// <inheritdoc cref="Take{T}(string, Func{T})"/>
    internal static void Take(string path, Action take) => Take(path, () =>
    {
        take();
        return 0;
    });
}
