using Microsoft.Data.Sqlite;

namespace Ingestion.Reliability.Tests.Crash;

/// <summary>Reads a data folder's SQLite files from outside the process writing them (read-only; WAL lets it).</summary>
public sealed class DataFolderProbe(string dataDirectory)
{
    /// <summary>Rows of a table (the outbox's in <c>outbox.db</c>, the others in <c>ingest.db</c>); 0 while the file or the table does not exist yet.</summary>
    public long Count(string table)
    {
        var database = Path.Combine(dataDirectory, table == "Outbox" ? "outbox.db" : "ingest.db");
        if (!File.Exists(database))
        {
            return 0;
        }

        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Table names are constants of the tests.
            command.CommandText = $"SELECT COUNT(*) FROM {table};";
#pragma warning restore CA2100
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0; // not created yet, or busy for a moment
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails after <paramref name="timeout"/> (no wall-clock assert on speed: a bound on a hang).</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(20, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Gave up waiting after {timeout.TotalSeconds:0} s for {what}.");
            }
        }
    }
}
