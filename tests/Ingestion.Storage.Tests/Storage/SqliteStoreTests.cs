using System.Diagnostics;
using Ingestion.Domain.Storage;
using Ingestion.Storage.Local.Sqlite;
using Ingestion.Testing;

namespace Ingestion.Storage.Tests.Storage;

public sealed class SqliteStudentStoreTests : StudentStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<IDisposable> _opened = [];

    private string DatabasePath => _folder.Combine("ingest.db");

    protected override Task<IStudentStore> CreateStoreAsync(TimeProvider clock) => Task.FromResult<IStudentStore>(Open(clock));

    protected override Task<(IStudentStore First, IStudentStore Second)> CreateTwoWritersAsync(TimeProvider clock) =>
        Task.FromResult<(IStudentStore, IStudentStore)>((Open(clock), Open(clock)));

    private SqliteStudentStore Open(TimeProvider clock)
    {
        var store = new SqliteStudentStore(DatabasePath, clock);
        _opened.Add(store);
        return store;
    }

    [Fact]
    public void Database_is_in_wal_mode()
    {
        using var store = new SqliteStudentStore(DatabasePath);
        Assert.Equal("wal", Sql("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task Rows_survive_reopening_the_file()
    {
        using (var store = new SqliteStudentStore(DatabasePath, Clock))
        {
            await store.StoreBatchAsync(Source("v1"), [At(0, Ada())]);
        }

        using var reopened = new SqliteStudentStore(DatabasePath, Clock);
        Assert.Equal("Ada Lovelace", (await reopened.GetAsync("S-1000"))!.Name);
    }

    [Fact]
    public async Task A_file_with_the_earlier_department_index_loses_it_and_still_lists_by_department()
    {
        using (var store = new SqliteStudentStore(DatabasePath, Clock))
        {
            await store.StoreBatchAsync(Source("v1"), [At(0, Ada())]);
        }

        // As a file of an earlier ingest had it, from before the schema's version was kept in user_version.
        Sql("CREATE INDEX Students_Department ON Students (Department, StudentID); PRAGMA user_version = 0;");
        Assert.Equal(1L, Sql("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'Students_Department';"));

        using var reopened = new SqliteStudentStore(DatabasePath, Clock);
        Assert.Equal(0L, Sql("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'Students_Department';"));
        var listed = await reopened.ListAsync(Ada().Department).ToListAsync();
        Assert.Equal("S-1000", Assert.Single(listed).StudentId);
    }

    [Fact]
    public async Task A_file_from_before_the_seen_marker_gains_the_column_and_keeps_its_rows()
    {
        // The Students table as files written before SeenTime have it, with one stored student.
        Sql("""
            CREATE TABLE Students (
                StudentID TEXT NOT NULL PRIMARY KEY, Name TEXT NOT NULL, Department TEXT NOT NULL, Email TEXT NOT NULL,
                Extras TEXT NULL, CreatedAt TEXT NOT NULL, UpdatedAt TEXT NOT NULL, SourceKey TEXT NOT NULL,
                SourceVersion TEXT NOT NULL, SourceTime TEXT NOT NULL, SourceIndex INTEGER NOT NULL, ContentHash TEXT NOT NULL
            ) WITHOUT ROWID;
            """);
        Sql($"""
            INSERT INTO Students VALUES ('S-1000', 'Ada Lovelace', 'Mathematics', 'ada@example.edu', NULL,
                '2026-11-20T02:00:00.0000000Z', '2026-11-20T02:00:00.0000000Z', 'incoming/a.json', 'a',
                '2026-11-20T02:00:00.0000000Z', 0, '{Ingestion.Domain.Students.ContentHash.Compute(Ada())}');
            """);

        using var store = new SqliteStudentStore(DatabasePath, Clock);
        var before = await store.GetAsync("S-1000");
        var confirmed = await store.StoreBatchAsync(Source("c", T0.AddHours(2), "incoming/c.json") with { OlderPending = true }, [At(0, Ada())]);
        var late = await store.StoreBatchAsync(Source("b", T0.AddHours(1), "incoming/b.json"), [At(0, Ada("Ada King"))]);

        Assert.Equal(("Ada Lovelace", T0, (DateTimeOffset?)null), (before!.Name, before.SourceTime, before.SeenTime));
        Assert.Equal((StoreOutcome.Unchanged, StoreOutcome.Stale), (confirmed.Single(), late.Single()));
        Assert.Equal(T0.AddHours(2), (await store.GetAsync("S-1000"))!.SeenTime);
        Assert.Equal(1L, Sql("SELECT COUNT(*) FROM pragma_table_info('Students') WHERE name = 'SeenTime';"));
    }

    private object? Sql(string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public async Task Two_processes_on_one_file_lose_no_update()
    {
        // Two real processes (this test assembly run as a writer, see WriterProcess) racing on the same rows.
        const int Students = 300;
        var writers = Enumerable.Range(0, 2).Select(w => WriterProcess.Start(DatabasePath, w, Students)).ToList();
        await System.IO.File.WriteAllTextAsync(DatabasePath + ".go", "go");
        foreach (var process in writers)
        {
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        }

        using var store = new SqliteStudentStore(DatabasePath);
        var stored = await store.ListAsync().ToListAsync();
        Assert.Equal(Students, stored.Count);
        // Writer 1's exports are newer for every student: each must end with writer 1's last export.
        Assert.All(stored, s => Assert.Equal("w1-e4", s.SourceVersion));
    }

    public void Dispose()
    {
        foreach (var store in _opened)
        {
            store.Dispose();
        }

        _folder.Dispose();
    }
}

public sealed class SqliteFileLedgerTests : FileLedgerContract, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<IDisposable> _opened = [];

    protected override Task<IFileLedger> CreateLedgerAsync(TimeSpan lease)
    {
        var ledger = new SqliteFileLedger(_folder.Combine("ingest.db"), lease);
        _opened.Add(ledger);
        return Task.FromResult<IFileLedger>(ledger);
    }

    [Fact]
    public async Task Two_connections_register_one_version_once()
    {
        using var first = new SqliteFileLedger(_folder.Combine("ingest.db"), Lease);
        using var second = new SqliteFileLedger(_folder.Combine("ingest.db"), Lease);

        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(i => Task.Run(() => (i % 2 == 0 ? first : second).RegisterAsync(File(), $"exec-{i}", Now))));

        Assert.Single(results, r => r.Status == RegistrationStatus.Registered);
    }

    public void Dispose()
    {
        foreach (var ledger in _opened)
        {
            ledger.Dispose();
        }

        _folder.Dispose();
    }
}

/// <summary>Runs the test assembly's writer entry point in a child process.</summary>
internal static class WriterProcess
{
    public static Process Start(string databasePath, int writer, int students)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(WriterProcess).Assembly.Location);
        start.ArgumentList.Add("store-writer");
        start.ArgumentList.Add(databasePath);
        start.ArgumentList.Add(writer.ToString());
        start.ArgumentList.Add(students.ToString());
        return Process.Start(start)!;
    }
}
