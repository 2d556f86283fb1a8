using System.Text.Json;
using Ingestion.Cli.Commands;
using Microsoft.Data.Sqlite;

namespace Ingestion.Cli;

/// <summary>
/// One line for a data folder whose files are damaged (a truncated database, a report that is not JSON): which file,
/// what is wrong, what to do; instead of an unhandled exception and its stack.
/// </summary>
internal static class DamagedDataFolder
{
    private const int SqliteCorrupt = 11; // SQLITE_CORRUPT: "database disk image is malformed"
    private const int SqliteNotADatabase = 26; // SQLITE_NOTADB

    /// <summary>The line to print when <paramref name="error"/> (or what it wraps) says a file is damaged; else null.</summary>
    public static string? Explain(Exception error, CliHost host, System.CommandLine.ParseResult parse)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException { SqliteErrorCode: SqliteCorrupt or SqliteNotADatabase } sqlite:
                    var folder = CommandContext.Folder(host, parse);
                    var damaged = new[] { folder.Database, folder.OutboxDatabase }.FirstOrDefault(IsDamaged);
                    return $"{damaged ?? "a database in " + folder.Root} is damaged ({FirstLine(sqlite.Message)}): "
                        + "restore it from a backup, or move it aside to start with an empty one (what it held is then gone).";
                case JsonException json:
                    return $"a file in the data folder {CommandContext.Folder(host, parse).Root} is not valid JSON ({Ingestion.States.Json.JsonErrorText.Describe(json)}): "
                        + "restore it from a backup or delete it; `ingest files` lists the reports each file should have.";
            }
        }

        return null;
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
