using Microsoft.Data.Sqlite;

namespace Ingestion.Storage.Local.Sqlite;

/// <summary>What every connection to one of the local SQLite files sets first, whichever adapter opens it.</summary>
internal static class SqlitePragmas
{
    /// <summary>
    /// The page size of a file created from now on (an existing file keeps its own). A first load of a million students
    /// logs each batch's pages in the write-ahead log with two writes a page: 8 KiB pages halve those calls, and the
    /// load ran 4% faster than with SQLite's 4 KiB (A/B, 3 rounds); 16 KiB gained nothing more.
    /// </summary>
    public const int PageSize = 8192;

    /// <summary>How long a writer waits for another connection's lock before failing, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sets the page size of a new file, the busy timeout, WAL (readers beside the one writer) and
    /// <c>synchronous = NORMAL</c> (a process that stops loses no commit; a power cut may lose the last ones, never
    /// the file's consistency).
    /// </summary>
    public static void Apply(SqliteConnection connection, TimeSpan? busyTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var timeout = busyTimeout ?? DefaultBusyTimeout;
        using var command = connection.CreateCommand();
        // page_size first: it counts only before the file's first page is written, which journal_mode = WAL does.
        command.CommandText = $"PRAGMA page_size = {PageSize}; PRAGMA busy_timeout = {(long)timeout.TotalMilliseconds}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
    }
}
