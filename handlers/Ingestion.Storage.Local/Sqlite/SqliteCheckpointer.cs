using Microsoft.Data.Sqlite;

namespace Ingestion.Storage.Local.Sqlite;

/// <summary>
/// Copies a database's write-ahead log into the database file on a thread of its own, so the writers never do it
/// inside a commit. One per database file per process, shared by every adapter writing it (the student store and
/// the ledger share one file, the local outbox has its own), running while any of them is open.
/// </summary>
/// <remarks>
/// <para>
/// By default SQLite checkpoints in the commit that takes the log past 1,000 pages, with two fsyncs, while that
/// writer still holds the write lock: on a first load of a million students that is a couple of hundred stalls of
/// every writer, and bench --profile counted half the pipeline's idle core time in them. Here the writers' own
/// threshold is raised to <see cref="WriterCheckpointPages"/> pages, a backstop for when this thread falls behind,
/// and this thread runs a PASSIVE checkpoint (one that never waits for readers or writers) every
/// <see cref="Interval"/>.
/// </para>
/// <para>
/// Durability is unchanged: with <c>synchronous = NORMAL</c> a commit is never synced, a checkpoint is, whichever
/// thread runs it. A process that stops leaves the log to the next connection, as SQLite always does.
/// </para>
/// </remarks>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>The log size (pages) past which a writer checkpoints itself: only if this thread cannot keep up.</summary>
    public const int WriterCheckpointPages = 16_000;

    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private static readonly Dictionary<string, Worker> Running = new(StringComparer.Ordinal);

    private readonly Worker _worker;
    private int _disposed;

    private SqliteCheckpointer(Worker worker) => _worker = worker;

    /// <summary>Joins (or starts) the checkpointer of the database file at <paramref name="path"/>.</summary>
    public static SqliteCheckpointer Join(string path)
    {
        var full = Path.GetFullPath(path);
        lock (Running)
        {
            if (!Running.TryGetValue(full, out var worker))
            {
                worker = Running[full] = new Worker(full);
            }

            worker.Users++;
            return new SqliteCheckpointer(worker);
        }
    }

    /// <summary>What a writer's connection sets: checkpoint itself only far past the usual threshold.</summary>
    public static void Configure(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_autocheckpoint = {WriterCheckpointPages};";
        command.ExecuteNonQuery();
    }

    /// <summary>Leaves the checkpointer; the last one out stops it after a final checkpoint.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        lock (Running)
        {
            if (--_worker.Users > 0)
            {
                return;
            }

            Running.Remove(_worker.Path);
        }

        _worker.Dispose();
    }

    private sealed class Worker : IDisposable
    {
        private readonly Thread _thread;
        private readonly AutoResetEvent _wake = new(false);
        private volatile bool _stopping;

        public Worker(string path)
        {
            Path = path;
            _thread = new Thread(Run) { IsBackground = true, Name = "SQLite checkpoints" };
            _thread.Start();
        }

        public string Path { get; }

        public int Users { get; set; }

        /// <summary>Stops the thread after a final checkpoint.</summary>
        public void Dispose()
        {
            _stopping = true;
            _wake.Set();
            _thread.Join();
            _wake.Dispose();
        }

        private void Run()
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            var open = false;
            while (true)
            {
                var last = _stopping;
                try
                {
                    if (!open)
                    {
                        connection.Open();
                        open = true;
                    }

                    checkpoint.ExecuteNonQuery();
                }
                catch (SqliteException)
                {
                    // Not fatal, nothing lost: the log keeps every commit, and past WriterCheckpointPages the writers
                    // checkpoint themselves. The next round tries again.
                }

                if (last)
                {
                    return;
                }

                _wake.WaitOne(Interval);
            }
        }
    }
}
