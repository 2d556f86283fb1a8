using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;

namespace Ingestion.Storage.Local.Sqlite;

/// <summary>The embedded <see cref="IStudentStore"/>: one SQLite file, one <c>BEGIN IMMEDIATE</c> transaction per batch.</summary>
/// <remarks>
/// Within a transaction the batch's stored rows are read, the outcomes decided by <see cref="StoreRules"/> in index
/// order, and only created or updated students written (once each, in their final state). Thread-safe: calls on
/// one instance take turns on its connection; other instances and processes wait on SQLite's write lock.
/// </remarks>
public sealed class SqliteStudentStore : IStudentStore, IDisposable
{
    private readonly SqliteOptions options;
    private readonly TimeProvider clock;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly SemaphoreSlim writeLock;
    private readonly SqliteConnection connection;
    private readonly SqliteStatement begin;
    private readonly SqliteStatement commit;
    private readonly SqliteStatement rollback;
    private readonly SqliteStatement selectVersions;
    private readonly SqliteStatement upsert;
    private readonly SqliteCommand selectStudent;
    private readonly System.Buffers.ArrayBufferWriter<byte> ids = new(4096);
    private readonly System.Text.Json.Utf8JsonWriter idsWriter;
    private readonly SourceCache sources = new();
    private readonly SqliteCheckpointer checkpoints;

    public SqliteStudentStore(SqliteOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.clock = clock ?? TimeProvider.System;
        connection = SqliteDatabase.Open(options);
        SqliteCheckpointer.Configure(connection);
        checkpoints = SqliteCheckpointer.Join(options.Path);
        writeLock = SqliteWriteLock.For(options.Path);
        // The batch path runs on raw prepared statements: text bound from UTF-8, constants bound once per batch.
        begin = new SqliteStatement(connection, "BEGIN IMMEDIATE;");
        commit = new SqliteStatement(connection, "COMMIT;");
        rollback = new SqliteStatement(connection, "ROLLBACK;");
        // One statement reads a whole batch's stored versions: the ids go in as one JSON array.
        selectVersions = new SqliteStatement(connection, StudentRows.SelectVersions);
        upsert = new SqliteStatement(connection, StudentRows.Upsert);
        selectStudent = SqliteDatabase.Prepare(connection, $"SELECT {StudentRows.Columns} FROM Students WHERE StudentID = $id;", ("$id", SqliteType.Text));
        idsWriter = new System.Text.Json.Utf8JsonWriter(ids);
    }

    /// <summary>Opens (creating if needed) the database file at <paramref name="path"/>.</summary>
    public SqliteStudentStore(string path, TimeProvider? clock = null)
        : this(new SqliteOptions(path), clock)
    {
    }

    public async Task<IReadOnlyList<StoreOutcome>> StoreBatchAsync(StudentSource source, IReadOnlyList<IncomingStudent> students, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(students);
        if (students.Count == 0)
        {
            return [];
        }

        // Index order decides duplicates; a batch normally arrives sorted, so this is a check, not a sort.
        var order = new int[students.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (!IsSortedByIndex(students))
        {
            Array.Sort(order, (a, b) => students[a].Index.CompareTo(students[b].Index));
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (SqliteWriteLock.IsHeldHere(options.Path))
            {
                return StoreBatch(source, students, order);
            }

            await writeLock.WaitAsync(cancellationToken);
            try
            {
                return StoreBatch(source, students, order);
            }
            finally
            {
                writeLock.Release();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private StoreOutcome[] StoreBatch(StudentSource source, IReadOnlyList<IncomingStudent> students, int[] order)
    {
        var outcomes = new StoreOutcome[students.Count];
        var states = new Dictionary<string, BatchState>(students.Count, StringComparer.Ordinal);
        begin.Execute();
        try
        {
            ReadVersions(students, states);
            foreach (var i in order)
            {
                var incoming = students[i];
                var id = incoming.Student.StudentId;
                var state = states[id];

                var outcome = StoreRules.Decide(state.Version, source, incoming.Index, incoming.ContentHash);
                outcomes[i] = outcome;
                if (outcome.Kind is StoreOutcomeKind.Created or StoreOutcomeKind.Updated)
                {
                    state = state with { Version = StoreRules.AfterWrite(state.Version, source, incoming.Index, incoming.ContentHash), Writer = i };
                }

                states[id] = state;
            }

            StudentRows.BindBatch(upsert, clock.GetUtcNow(), source);
            foreach (var state in states.Values)
            {
                if (state.Writer >= 0)
                {
                    StudentRows.Write(upsert, students[state.Writer]);
                }
            }

            commit.Execute();
        }
        catch
        {
            rollback.Execute();
            throw;
        }

        return outcomes;
    }

    public async Task<StoredStudent?> GetAsync(string studentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(studentId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            selectStudent.Parameters[0].Value = studentId;
            using var reader = selectStudent.ExecuteReader();
            return reader.Read() ? ReadStudent(reader) : null;
        }
        finally
        {
            gate.Release();
        }
    }

    public async IAsyncEnumerable<StoredStudent> ListAsync(string? department = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A connection of its own: WAL readers never block the writer, and a slow consumer never holds the gate.
        using var reader = SqliteDatabase.Open(options, createSchema: false);
        using var command = reader.CreateCommand();
        command.CommandText = department is null
            ? $"SELECT {StudentRows.Columns} FROM Students ORDER BY StudentID;"
            : $"SELECT {StudentRows.Columns} FROM Students WHERE Department = $department ORDER BY StudentID;";
        if (department is not null)
        {
            command.Parameters.AddWithValue("$department", department);
        }

        using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            yield return ReadStudent(rows);
        }
    }

    public void Dispose()
    {
        foreach (var statement in new[] { begin, commit, rollback, selectVersions, upsert })
        {
            statement.Dispose();
        }

        selectStudent.Dispose();
        idsWriter.Dispose();
        connection.Dispose();
        checkpoints.Dispose();
        gate.Dispose();
    }

    private static bool IsSortedByIndex(IReadOnlyList<IncomingStudent> students)
    {
        for (var i = 1; i < students.Count; i++)
        {
            if (students[i].Index < students[i - 1].Index)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Fills <paramref name="states"/> with every student of the batch: its stored version, or null.</summary>
    private void ReadVersions(IReadOnlyList<IncomingStudent> students, Dictionary<string, BatchState> states)
    {
        ids.ResetWrittenCount();
        idsWriter.Reset(ids);
        idsWriter.WriteStartArray();
        for (var i = 0; i < students.Count; i++)
        {
            if (states.TryAdd(students[i].Student.StudentId, new BatchState(null, -1, i)))
            {
                idsWriter.WriteStringValue(students[i].Student.StudentId);
            }
        }

        idsWriter.WriteEndArray();
        idsWriter.Flush();
        selectVersions.BindText(1, ids.WrittenSpan);
        var lookup = states.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> idChars = stackalloc char[StudentIdChars];
        try
        {
            while (selectVersions.Step())
            {
                var idUtf8 = selectVersions.ColumnUtf8(0);
                string id;
                BatchState state;
                if (System.Text.Encoding.UTF8.TryGetChars(idUtf8, idChars, out var length) && lookup.TryGetValue(idChars[..length], out var known, out var found))
                {
                    (id, state) = (known, found);
                }
                else
                {
                    id = System.Text.Encoding.UTF8.GetString(idUtf8);
                    state = states[id];
                }

                // A stored hash equal to the incoming one is that string: no copy of it (the usual, unchanged case).
                var incomingHash = students[state.First].ContentHash;
                var storedHash = selectVersions.ColumnUtf8(5);
                var hash = System.Text.Ascii.Equals(storedHash, incomingHash) ? incomingHash : System.Text.Encoding.UTF8.GetString(storedHash);
                states[id] = state with
                {
                    Version = new StoredVersion(
                        sources.Key(selectVersions.ColumnUtf8(1)),
                        sources.Version(selectVersions.ColumnUtf8(2)),
                        sources.Time(selectVersions.ColumnUtf8(3)),
                        selectVersions.ColumnInt64(4),
                        hash,
                        selectVersions.ColumnInt64(6) != 0),
                };
            }
        }
        finally
        {
            selectVersions.Reset();
        }
    }

    private static StoredStudent ReadStudent(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        SqliteDatabase.GetNullableString(reader, 4),
        TimeFormat.FromStorage(reader.GetString(5)),
        TimeFormat.FromStorage(reader.GetString(6)),
        reader.GetString(7),
        reader.GetString(8),
        TimeFormat.FromStorage(reader.GetString(9)),
        reader.GetInt64(10),
        reader.GetString(11));

    /// <summary>A chars buffer for a StudentID read back (64 characters at most; longer ones are decoded as strings).</summary>
    private const int StudentIdChars = 64;

    /// <summary>A student of the batch: its stored version, the batch's record that writes it (-1: none), its first record.</summary>
    private readonly record struct BatchState(StoredVersion? Version, int Writer, int First);

    /// <summary>
    /// The source of stored rows, read back as UTF-8: rows written by one file repeat its key, version and time, so the
    /// last ones seen are reused instead of decoded (and the time parsed) for every row.
    /// </summary>
    private sealed class SourceCache
    {
        private readonly Last<string> key = new();
        private readonly Last<string> version = new();
        private readonly Last<DateTimeOffset> time = new();

        public string Key(ReadOnlySpan<byte> utf8) => key.Get(utf8, static text => System.Text.Encoding.UTF8.GetString(text));

        public string Version(ReadOnlySpan<byte> utf8) => version.Get(utf8, static text => System.Text.Encoding.UTF8.GetString(text));

        public DateTimeOffset Time(ReadOnlySpan<byte> utf8) => time.Get(utf8, static text => TimeFormat.FromStorage(System.Text.Encoding.UTF8.GetString(text)));

        private sealed class Last<T>
        {
            private byte[] bytes = [];
            private int length = -1;
            private T value = default!;

            public T Get(ReadOnlySpan<byte> utf8, Func<ReadOnlySpan<byte>, T> decode)
            {
                if (length == utf8.Length && bytes.AsSpan(0, length).SequenceEqual(utf8))
                {
                    return value;
                }

                value = decode(utf8);
                if (bytes.Length < utf8.Length)
                {
                    bytes = new byte[Math.Max(64, utf8.Length)];
                }

                utf8.CopyTo(bytes);
                length = utf8.Length;
                return value;
            }
        }
    }
}
