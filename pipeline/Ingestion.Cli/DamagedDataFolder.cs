using Ingestion.Cli.Commands;
using Ingestion.Local;
using Microsoft.Data.Sqlite;

namespace Ingestion.Cli;

/// <summary>
/// One line for a data folder whose files are damaged (a truncated database, a report that is not JSON): which file,
/// what is wrong, what to do; instead of an unhandled exception and its stack.
/// </summary>
internal static class DamagedDataFolder
{
    private const int SqliteCorrupt = 11; // SQLITE_CORRUPT: "database disk image is malformed"
    private const int SqliteNotADatabase = 26; // SQLITE_NOTADB: "file is not a database"

    /// <summary>The line to print when <paramref name="error"/> (or what it wraps) says a file is damaged; else null.</summary>
    public static string? Explain(Exception error, CliHost host, System.CommandLine.ParseResult parse)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException { SqliteErrorCode: SqliteCorrupt or SqliteNotADatabase } sqlite:
                    return Database(CommandContext.Folder(host, parse), FirstLine(sqlite.Message));
                case DamagedFileException damaged:
                    // Only SummarizeRun writes a report, so a new one takes a new upload of the file.
                    return $"{damaged.File} is damaged ({damaged.Problem}): restore it from a backup, or move it aside and "
                        + "ingest the file again (ingest run FILE) for a new report; the students it stored come out unchanged.";
            }
        }

        return null;
    }

    /// <summary>Which database is damaged, and what losing it costs: the students and the ledger, or only the record of messages.</summary>
    private static string Database(LocalDataFolder folder, string problem)
    {
        if (IsDamaged(folder.Database))
        {
            return $"{folder.Database} is damaged ({problem}): restore it from a backup, or move it aside and ingest the "
                + "exports again, oldest first, to rebuild the students and the file ledger in a new one.";
        }

        if (IsDamaged(folder.OutboxDatabase))
        {
            return $"{folder.OutboxDatabase} is damaged ({problem}): restore it from a backup, or move it aside: the next "
                + "command starts an empty one, and only the record of the messages published so far is lost.";
        }

        return $"a database in {folder.Root} is damaged ({problem}): restore the data folder from a backup.";
    }

    private static bool IsDamaged(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA quick_check;";
            return !string.Equals(check.ExecuteScalar() as string, "ok", StringComparison.Ordinal);
        }
        catch (SqliteException)
        {
            return true;
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim().TrimEnd('.');
}
