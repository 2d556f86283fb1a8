using Microsoft.Data.Sqlite;

namespace Ingestion.Cli.Tests.Commands;

/// <summary>
/// Another process holds the write lock of ingest.db (an ingest still running, a sqlite3 shell in a transaction): the
/// progress line says so instead of showing a count that does not move, and the run goes on once the lock is let go.
/// </summary>
public sealed class LockedDatabaseTests : IDisposable
{
    private const string Locked = "ingest.db is locked by another process";

    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Database => Path.Combine(_cli.DataDir, "ingest.db");

    [Theory]
    [InlineData("IMMEDIATE")]
    [InlineData("EXCLUSIVE")]
    public async Task Run_says_the_database_is_locked_and_finishes_once_it_is_let_go(string lockMode)
    {
        var first = await _cli.RunAsync("run", CliFixture.TestData("students.json"));
        Assert.Equal(0, first.Exit);
        Assert.DoesNotContain("locked", first.Error, StringComparison.Ordinal);
        using var holder = Hold(lockMode);
        var output = new StringWriter();
        var error = new WatchingWriter(Locked);
        var host = new CliHost { Out = output, Error = error, GetVariable = _ => null };

        var running = CliRunner.InvokeAsync(["run", CliFixture.TestData("students-mixed.json"), "--json", "--data-dir", _cli.DataDir], host);
        // A bound, not a decision: the line must come well before SQLite's busy timeout (30 s) gives up on the lock.
        var seen = await Task.WhenAny(error.Seen, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(seen == error.Seen, $"no line says the database is locked; standard error:\n{error}");
        Assert.False(running.IsCompleted);
        Execute(holder, "ROLLBACK;");
        var exit = await running.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, error.ToString());
        var line = Assert.Single(new CliResult(exit, output.ToString(), "").JsonLines);
        Assert.Equal(("SUCCEEDED", 6), (line.GetProperty("status").GetString(), line.GetProperty("created").GetInt64()));
    }

    [Theory]
    [InlineData("files")]
    [InlineData("students", "list")]
    [InlineData("report", "students.json")]
    [InlineData("outbox")]
    public async Task A_command_that_only_reads_is_not_held_up_by_the_lock(params string[] command)
    {
        Assert.Equal(0, (await _cli.RunAsync("run", CliFixture.TestData("students.json"))).Exit);
        using var holder = Hold("EXCLUSIVE");

        var result = await _cli.RunAsync(command).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(result.Exit == 0, result.Error);
    }

    /// <summary>A second connection, as another process would have, holding the write lock until rolled back.</summary>
    private SqliteConnection Hold(string lockMode)
    {
        var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Database, Pooling = false }.ToString());
        holder.Open();
        Execute(holder, $"BEGIN {lockMode};");
        return holder;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Standard error, completing <see cref="Seen"/> once a line holds the text waited for.</summary>
    private sealed class WatchingWriter(string text) : StringWriter
    {
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => _seen.Task;

        public override void WriteLine(string? value)
        {
            lock (this)
            {
                base.WriteLine(value);
            }

            if (value?.Contains(text, StringComparison.Ordinal) == true)
            {
                _seen.TrySetResult();
            }
        }

        public override string ToString()
        {
            lock (this)
            {
                return base.ToString();
            }
        }
    }
}
