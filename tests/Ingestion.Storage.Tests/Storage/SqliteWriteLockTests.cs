using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Storage.Local.Sqlite;
using Ingestion.Testing;

namespace Ingestion.Storage.Tests.Storage;

/// <summary>Writers of one database file in one process take turns; a flow that entered the lock is not made to wait for it again.</summary>
public sealed class SqliteWriteLockTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_lock_is_held_only_inside_the_flow_that_entered_it()
    {
        var path = _folder.Combine("ingest.db");

        Assert.False(SqliteWriteLock.IsHeldHere(path));
        var inside = await SqliteWriteLock.EnterAsync(path, async () =>
        {
            await Task.Yield();
            return SqliteWriteLock.IsHeldHere(path) && SqliteWriteLock.IsHeldHere(_folder.Combine(".", "ingest.db"));
        });

        Assert.True(inside);
        Assert.False(SqliteWriteLock.IsHeldHere(path));
        Assert.Equal(1, SqliteWriteLock.For(path).CurrentCount);
    }

    [Fact]
    public async Task A_store_called_by_the_flow_holding_the_lock_writes_without_waiting_for_it()
    {
        var path = _folder.Combine("ingest.db");
        using var store = new SqliteStudentStore(path);
        var source = new StudentSource("incoming/a.json", "v1", DateTimeOffset.UtcNow);

        var outcomes = await SqliteWriteLock.EnterAsync(path, () =>
            store.StoreBatchAsync(source, [IncomingStudent.Create(0, new Student("S-1", "Ada", "Maths", "ada@example.edu"))]))
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([StoreOutcome.Created], outcomes);
        Assert.NotNull(await store.GetAsync("S-1"));
    }

    [Fact]
    public async Task A_store_waits_its_turn_while_another_writer_of_the_file_holds_the_lock()
    {
        var path = _folder.Combine("ingest.db");
        using var store = new SqliteStudentStore(path);
        var source = new StudentSource("incoming/a.json", "v1", DateTimeOffset.UtcNow);
        using var reader = new SqliteStudentStore(path);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = SqliteWriteLock.EnterAsync(path, async () =>
        {
            entered.SetResult();
            await release.Task;
            return 0;
        });
        await entered.Task;

        // The other writer is inside the lock until released: the store has nothing written, whatever the timing.
        var storing = store.StoreBatchAsync(source, [IncomingStudent.Create(0, new Student("S-1", "Ada", "Maths", "ada@example.edu"))]);
        Assert.False(storing.IsCompleted);
        Assert.Null(await reader.GetAsync("S-1"));
        Assert.False(storing.IsCompleted);

        release.SetResult();
        await holding;
        Assert.Equal([StoreOutcome.Created], await storing.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
