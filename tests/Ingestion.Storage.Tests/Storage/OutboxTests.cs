using Ingestion.Storage.Local.Outbox;
using Ingestion.Testing;

namespace Ingestion.Storage.Tests.Pipeline;

public sealed class OutboxTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("outbox-").FullName;
    private SqliteOutbox _outbox = null!;

    public Task InitializeAsync()
    {
        _outbox = new SqliteOutbox(Path.Combine(_folder, "ingest.db"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _outbox.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static OutboxMessage Message(string topic, int i) => new(topic, $"s{i}", $"m{i}", null);

    /// <summary>A data folder from before the outbox had its own file: <paramref name="messages"/> rows in ingest.db's Outbox table.</summary>
    private async Task<(string Old, string Moved)> OldDataFolder(string name, int messages)
    {
        var old = Path.Combine(_folder, name, "ingest.db");
        await using (var before = new SqliteOutbox(old))
        {
            await before.PublishAsync([.. Enumerable.Range(0, messages).Select(i => Message(i % 2 == 0 ? "a" : "b", i))]);
        }

        return (old, Path.Combine(_folder, name, "outbox.db"));
    }

    [Fact]
    public async Task Concurrent_publishes_are_all_stored_each_call_in_one_piece_and_in_order()
    {
        var calls = Enumerable.Range(0, 50).Select(c => _outbox.PublishAsync([.. Enumerable.Range(c * 10, 10).Select(i => Message("t", i))])).ToList();
        var ids = await Task.WhenAll(calls);

        var stored = await _outbox.ListAsync().ToListAsync();
        Assert.Equal(500, stored.Count);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), stored.Select(s => s.Sequence));
        Assert.Equal(500, stored.Select(s => s.MessageId).Distinct().Count());
        foreach (var call in ids)
        {
            var positions = call.Select(id => stored.FindIndex(s => s.MessageId == id)).ToList();
            Assert.Equal(Enumerable.Range(positions[0], 10), positions);
        }
    }

    [Fact]
    public async Task Lists_filter_by_topic_and_take_the_first_or_the_latest()
    {
        await _outbox.PublishAsync([Message("a", 0), Message("b", 1), Message("a", 2), Message("a", 3)]);

        Assert.Equal(["m0", "m2", "m3"], await _outbox.ListAsync("a").Select(m => m.Message).ToListAsync());
        Assert.Equal(["m0", "m1"], await _outbox.ListAsync(limit: 2).Select(m => m.Message).ToListAsync());
        Assert.Equal(["m2", "m3"], await _outbox.ListAsync("a", 2, latest: true).Select(m => m.Message).ToListAsync());
        Assert.Equal(3, await _outbox.CountAsync("a"));
        Assert.Equal(4, await _outbox.CountAsync());
    }

    [Fact]
    public async Task An_outbox_table_left_in_the_students_database_moves_into_the_outbox_file_once()
    {
        var (old, moved) = await OldDataFolder("old", 2);

        var kept = new List<OutboxEntry>();
        await using (var first = SqliteOutbox.Open(moved, movingFrom: old))
        {
            kept.AddRange(await first.ListAsync().ToListAsync());
            await first.PublishAsync([Message("a", 2)]);
        }

        await using var again = SqliteOutbox.Open(moved, movingFrom: old);
        var stored = await again.ListAsync().ToListAsync();
        Assert.Equal(["m0", "m1"], kept.Select(m => m.Message));
        Assert.Equal([(1L, "m0"), (2L, "m1"), (3L, "m2")], stored.Select(m => (m.Sequence, m.Message)));
        Assert.Equal(kept.Select(m => m.MessageId), stored.Take(2).Select(m => m.MessageId));
        Assert.Equal(0L, SqliteProbe.Scalar(old, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'Outbox';"));
    }

    [Fact]
    public async Task A_move_cut_short_after_copying_some_rows_is_finished_by_the_next_open_each_row_once()
    {
        var (old, moved) = await OldDataFolder("cut", 3);

        // What a move stopped before its DROP leaves: the first rows copied, the old table still there.
        await new SqliteOutbox(moved).DisposeAsync();
        SqliteProbe.Scalar(moved, $"ATTACH DATABASE '{old}' AS old; INSERT INTO Outbox SELECT * FROM old.Outbox WHERE Sequence <= 2; SELECT 0;");

        await using var outbox = SqliteOutbox.Open(moved, movingFrom: old);

        Assert.Equal(["m0", "m1", "m2"], await outbox.ListAsync().Select(m => m.Message).ToListAsync());
        Assert.Equal(0L, SqliteProbe.Scalar(old, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'Outbox';"));
    }

    [Fact]
    public async Task Different_messages_under_the_same_sequence_number_fail_the_move_and_the_old_rows_stay()
    {
        var (old, moved) = await OldDataFolder("clash", 2);

        await using (var newer = new SqliteOutbox(moved))
        {
            await newer.PublishAsync([Message("c", 9)]);
        }

        var error = Assert.Throws<InvalidOperationException>(() => SqliteOutbox.Open(moved, movingFrom: old));
        Assert.Contains("nothing was moved and both are kept", error.Message, StringComparison.Ordinal);
        Assert.Equal(2L, SqliteProbe.Scalar(old, "SELECT COUNT(*) FROM Outbox;"));
        Assert.Equal(1L, SqliteProbe.Scalar(moved, "SELECT COUNT(*) FROM Outbox;"));
    }

    [Fact]
    public async Task Publishing_after_disposal_is_refused()
    {
        await _outbox.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _outbox.PublishAsync([Message("a", 0)]));
    }
}
