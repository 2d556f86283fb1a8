using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Ingestion.Domain;
using Ingestion.Storage.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ingestion.Storage.Local.Outbox;

/// <summary>The outbox as table <c>Outbox</c> of a local SQLite file (the data folder's <c>outbox.db</c>).</summary>
/// <remarks>
/// Publishes are group-committed: one writer drains every call waiting at that moment into one transaction, and a
/// call returns only once its rows are committed. So a PublishBatch result always means "stored", while a million
/// notifications cost thousands of transactions, not a hundred thousand.
/// </remarks>
public sealed class SqliteOutbox : IOutbox, IAsyncDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS Outbox (
            Sequence INTEGER PRIMARY KEY,
            MessageId TEXT NOT NULL, -- a new UUID per message, unique by construction: a UNIQUE index on random keys would cost more than the inserts
            Topic TEXT NOT NULL, -- not indexed: a run writes a row per changed student, a topic's listing reads a million rows in 0.2 s
            Subject TEXT NULL,
            Message TEXT NOT NULL,
            Attributes TEXT NULL,
            PublishedAt TEXT NOT NULL
        );
        DROP INDEX IF EXISTS Outbox_Topic; -- what earlier outboxes had on Topic
        """;

    private const string Columns = "Sequence, MessageId, Topic, Subject, Message, Attributes, PublishedAt";

    /// <summary>Rows per transaction at most; a group stops growing here.</summary>
    private const int MaxRowsPerTransaction = 5_000;

    private readonly string _path;
    private readonly TimeProvider _clock;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock;
    private readonly SqliteCheckpointer _checkpoints;
    private Task _writing = Task.CompletedTask;

    public SqliteOutbox(string path, TimeProvider? clock = null)
        : this(path, clock, startWriting: true)
    {
    }

    // The writer loop prepares its statements on the writer connection: it starts only once nothing else uses that
    // connection (Open first moves an old table over on it, and a statement prepared during that transaction failed).
    private SqliteOutbox(string path, TimeProvider? clock, bool startWriting)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
        _clock = clock ?? TimeProvider.System;
        _writer = Open(path);
        SqliteCheckpointer.Configure(_writer);
        _checkpoints = SqliteCheckpointer.Join(path);
        _writeLock = SqliteWriteLock.For(path);
        using (var create = _writer.CreateCommand())
        {
            create.CommandText = Schema;
            create.ExecuteNonQuery();
        }

        if (startWriting)
        {
            StartWriting();
        }
    }

    /// <summary>
    /// Opens the outbox at <paramref name="path"/>, first moving in the rows of an <c>Outbox</c> table that
    /// <paramref name="movingFrom"/> still holds (data folders from before the outbox had a file of its own).
    /// </summary>
    public static SqliteOutbox Open(string path, string movingFrom, TimeProvider? clock = null)
    {
        var outbox = new SqliteOutbox(path, clock, startWriting: false);
        try
        {
            if (File.Exists(movingFrom))
            {
                outbox.MoveTableFrom(movingFrom);
            }

            outbox.StartWriting();
            return outbox;
        }
        catch
        {
            outbox.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>
    /// Profiling: runs each group commit, given its row count and the transaction to run on the writer thread, so a
    /// profiler can measure it from outside. Null (the default) runs the transaction as it is.
    /// </summary>
    public Action<int, Action>? CommitHook { get; set; }

    public async Task<IReadOnlyList<string>> PublishAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return [];
        }

        var ids = new string[messages.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = MessageIds.New();
        }

        var pending = new Pending(messages, ids, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        // Once queued, the rows are written whatever the caller does: wait for the commit, not for the token.
        await pending.Committed.Task;
        return ids;
    }

    public async IAsyncEnumerable<OutboxEntry> ListAsync(string? topic = null, int? limit = null, bool latest = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var connection = Open(_path);
        using var command = connection.CreateCommand();
        var where = topic is null ? string.Empty : "WHERE Topic = $topic";
        var order = latest ? "DESC" : "ASC";
#pragma warning disable CA2100 // Constant SQL; values go through parameters.
        command.CommandText = latest
            ? $"SELECT {Columns} FROM (SELECT {Columns} FROM Outbox {where} ORDER BY Sequence DESC LIMIT $limit) ORDER BY Sequence ASC;"
            : $"SELECT {Columns} FROM Outbox {where} ORDER BY Sequence {order} LIMIT $limit;";
#pragma warning restore CA2100
        command.Parameters.AddWithValue("$limit", limit is > 0 ? limit.Value : -1);
        if (topic is not null)
        {
            command.Parameters.AddWithValue("$topic", topic);
        }

        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new OutboxEntry(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                TimeFormat.FromStorage(reader.GetString(6)));
        }
    }

    public async Task<long> CountAsync(string? topic = null, CancellationToken cancellationToken = default)
    {
        using var connection = Open(_path);
        using var command = connection.CreateCommand();
        command.CommandText = topic is null ? "SELECT COUNT(*) FROM Outbox;" : "SELECT COUNT(*) FROM Outbox WHERE Topic = $topic;";
        if (topic is not null)
        {
            command.Parameters.AddWithValue("$topic", topic);
        }

        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writing;
        await _writer.DisposeAsync();
        _checkpoints.Dispose();
    }

    /// <summary>
    /// Copies the rows of <paramref name="database"/>'s <c>Outbox</c> table, sequence numbers and message ids kept,
    /// then drops it. A row already here with the same sequence number and message id is skipped, so a move cut short
    /// is finished by the next one; a different row under the same sequence number fails the move, and nothing is
    /// dropped.
    /// </summary>
    private void MoveTableFrom(string database)
    {
        using (var attach = _writer.CreateCommand())
        {
            attach.CommandText = "ATTACH DATABASE $old AS old;";
            attach.Parameters.AddWithValue("$old", database);
            attach.ExecuteNonQuery();
        }

        try
        {
            using var check = _writer.CreateCommand();
            check.CommandText = "SELECT COUNT(*) FROM old.sqlite_master WHERE type = 'table' AND name = 'Outbox';";
            if ((long)check.ExecuteScalar()! == 0)
            {
                return;
            }

            // Both files are written: take turns with the other writers of each in this process.
            var oldLock = SqliteWriteLock.For(database);
            oldLock.Wait();
            _writeLock.Wait();
            try
            {
                using (var transaction = _writer.BeginTransaction(deferred: false))
                {
                    using var copy = _writer.CreateCommand();
                    copy.Transaction = transaction;
                    copy.CommandText = $"""
                        INSERT INTO main.Outbox ({Columns})
                        SELECT {Columns} FROM old.Outbox AS o
                        WHERE NOT EXISTS (SELECT 1 FROM main.Outbox AS m WHERE m.Sequence = o.Sequence AND m.MessageId = o.MessageId)
                        ORDER BY Sequence;
                        """;
                    try
                    {
                        copy.ExecuteNonQuery();
                    }
                    catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: a sequence number taken
                    {
                        throw new InvalidOperationException(
                            $"{database} still holds an Outbox table whose messages differ from those of {_path} under the same sequence numbers: "
                            + "nothing was moved and both are kept; move or remove one of them by hand.", e);
                    }

                    transaction.Commit();
                }

                using var drop = _writer.CreateCommand();
                drop.CommandText = "DROP TABLE old.Outbox;";
                drop.ExecuteNonQuery();
            }
            finally
            {
                _writeLock.Release();
                oldLock.Release();
            }
        }
        finally
        {
            using var detach = _writer.CreateCommand();
            detach.CommandText = "DETACH DATABASE old;";
            detach.ExecuteNonQuery();
        }
    }

    private void StartWriting() => _writing = Task.Run(WriteLoopAsync);

    private async Task WriteLoopAsync()
    {
        using var begin = Command("BEGIN IMMEDIATE;");
        using var commit = Command("COMMIT;");
        using var rollback = Command("ROLLBACK;");
        // The row insert runs on a raw prepared statement: text bound from UTF-8, the group's time and topic bound once.
        using var insert = new SqliteStatement(_writer, "INSERT INTO Outbox (MessageId, Topic, Subject, Message, Attributes, PublishedAt) VALUES (?1, ?2, ?3, ?4, ?5, ?6);");

        var group = new List<Pending>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            var rows = 0;
            while (rows < MaxRowsPerTransaction && _queue.Reader.TryRead(out var next))
            {
                group.Add(next);
                rows += next.Messages.Count;
            }

            var hook = CommitHook;
            try
            {
                // Take turns with any other writer of this file in the process.
                await _writeLock.WaitAsync();
                try
                {
                    if (hook is null)
                    {
                        WriteGroup(group, insert, begin, commit, rollback);
                    }
                    else
                    {
                        hook(rows, () => WriteGroup(group, insert, begin, commit, rollback));
                    }
                }
                finally
                {
                    _writeLock.Release();
                }

                foreach (var pending in group)
                {
                    pending.Committed.TrySetResult();
                }
            }
            catch (Exception e)
            {
                // The callers see the failure (their task fails and the definition's Retry decides); the loop goes on.
                foreach (var pending in group)
                {
                    pending.Committed.TrySetException(e);
                }
            }
        }
    }

    /// <summary>One group of pending publishes in one transaction, rolled back whole when any insert fails.</summary>
    private void WriteGroup(List<Pending> group, SqliteStatement insert, SqliteCommand begin, SqliteCommand commit, SqliteCommand rollback)
    {
        insert.BindText(6, TimeFormat.ToStorage(_clock.GetUtcNow()));
        string? topic = null;
        SqliteLockWaits.Take(_path, begin.ExecuteNonQuery);
        try
        {
            foreach (var pending in group)
            {
                for (var i = 0; i < pending.Messages.Count; i++)
                {
                    var m = pending.Messages[i];
                    if (!string.Equals(m.Topic, topic, StringComparison.Ordinal))
                    {
                        topic = m.Topic;
                        insert.BindText(2, topic);
                    }

                    insert.BindText(1, pending.Ids[i]);
                    insert.BindText(3, m.Subject);
                    insert.BindText(4, m.Message);
                    insert.BindText(5, m.AttributesJson);
                    insert.Execute();
                }
            }

            commit.ExecuteNonQuery();
        }
        catch
        {
            rollback.ExecuteNonQuery();
            throw;
        }
    }

    private SqliteCommand Command(string sql)
    {
        var command = _writer.CreateCommand();
#pragma warning disable CA2100 // Only constant SQL from this class reaches here.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    /// <summary>The same settings as the handlers' SQLite adapters: WAL, synchronous=NORMAL, a busy timeout, no pooling.</summary>
    private static SqliteConnection Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            connection.Open();
            SqlitePragmas.Apply(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private sealed record Pending(IReadOnlyList<OutboxMessage> Messages, string[] Ids, TaskCompletionSource Committed);
}

