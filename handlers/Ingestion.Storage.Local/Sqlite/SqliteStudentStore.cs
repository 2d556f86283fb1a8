using System.Runtime.CompilerServices;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Microsoft.Data.Sqlite;

namespace Ingestion.Storage.Local.Sqlite;

/// <summary>The embedded <see cref="IStudentStore"/>: one SQLite file, one <c>BEGIN IMMEDIATE</c> transaction per batch.</summary>
/// <remarks>
/// Within a transaction the batch's stored rows are read, the outcomes decided by <see cref="StoreRules"/> in index
/// order, and only created or updated students written (once each, in their final state). Thread-safe: calls on
/// one instance take turns on its connection; other instances and processes wait on SQLite's write lock.
/// </remarks>
public sealed class SqliteStudentStore : IStudentStore, IDisposable
{
    private readonly SqliteOptions _options;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _writeLock;
    private readonly SqliteConnection _connection;
    private readonly SqliteStatement _begin;
    private readonly SqliteStatement _commit;
    private readonly SqliteStatement _rollback;
    private readonly SqliteStatement _selectVersions;
    private readonly SqliteStatement _upsert;
    private readonly SqliteStatement _markSeen;
    private readonly SqliteCommand _selectStudent;
    private readonly System.Buffers.ArrayBufferWriter<byte> _ids = new(4096);
    private readonly System.Text.Json.Utf8JsonWriter _idsWriter;
    private readonly SourceCache _sources = new();
    private readonly SqliteCheckpointer _checkpoints;

    internal SqliteStudentStore(SqliteOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _connection = SqliteDatabase.Open(options);
        SqliteCheckpointer.Configure(_connection);
        _checkpoints = SqliteCheckpointer.Join(options.Path);
        _writeLock = SqliteWriteLock.For(options.Path);
        // The batch path runs on raw prepared statements: text bound from UTF-8, constants bound once per batch.
        _begin = new SqliteStatement(_connection, "BEGIN IMMEDIATE;");
        _commit = new SqliteStatement(_connection, "COMMIT;");
        _rollback = new SqliteStatement(_connection, "ROLLBACK;");
        // One statement reads a whole batch's stored versions: the ids go in as one JSON array.
        _selectVersions = new SqliteStatement(_connection, StudentRows.SelectVersions);
        _upsert = new SqliteStatement(_connection, StudentRows.Upsert);
        _markSeen = new SqliteStatement(_connection, StudentRows.MarkSeen);
        _selectStudent = SqliteDatabase.Prepare(_connection, $"SELECT {StudentRows.ReadColumns} FROM Students WHERE StudentID = $id;", ("$id", SqliteType.Text));
        _idsWriter = new System.Text.Json.Utf8JsonWriter(_ids);
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

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (SqliteWriteLock.IsHeldHere(_options.Path))
            {
                return StoreBatch(source, students, order);
            }

            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                return StoreBatch(source, students, order);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private StoreOutcome[] StoreBatch(StudentSource source, IReadOnlyList<IncomingStudent> students, int[] order)
    {
        var outcomes = new StoreOutcome[students.Count];
        var states = new Dictionary<string, BatchState>(students.Count, StringComparer.Ordinal);
        SqliteLockWaits.Take(_options.Path, _begin.Execute);
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
                else if (outcome.Kind == StoreOutcomeKind.Unchanged && StoreRules.MarksSeen(state.Version!.Value, source))
                {
                    state = state with { Version = StoreRules.AfterSeen(state.Version.Value, source), MarksSeen = true };
                }

                states[id] = state;
            }

            StudentRows.BindBatch(_upsert, _clock.GetUtcNow(), source);
            var seenTime = default(string);
            foreach (var state in states.Values)
            {
                if (state.Writer >= 0)
                {
                    StudentRows.Write(_upsert, students[state.Writer]);
                }
                else if (state.MarksSeen)
                {
                    _markSeen.BindText(1, students[state.First].Student.StudentId);
                    _markSeen.BindText(2, seenTime ??= TimeFormat.ToStorage(source.Time));
                    _markSeen.Execute();
                }
            }

            _commit.Execute();
        }
        catch
        {
            _rollback.Execute();
            throw;
        }

        return outcomes;
    }

    public async Task<StoredStudent?> GetAsync(string studentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(studentId);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _selectStudent.Parameters[0].Value = studentId;
            using var reader = _selectStudent.ExecuteReader();
            return reader.Read() ? ReadStudent(reader) : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async IAsyncEnumerable<StoredStudent> ListAsync(string? department = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A connection of its own: WAL readers never block the writer, and a slow consumer never holds the gate.
        using var reader = SqliteDatabase.Open(_options, createSchema: false);
        using var command = reader.CreateCommand();
        command.CommandText = department is null
            ? $"SELECT {StudentRows.ReadColumns} FROM Students ORDER BY StudentID;"
            : $"SELECT {StudentRows.ReadColumns} FROM Students WHERE Department = $department ORDER BY StudentID;";
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
        foreach (var statement in new[] { _begin, _commit, _rollback, _selectVersions, _upsert, _markSeen })
        {
            statement.Dispose();
        }

        _selectStudent.Dispose();
        _idsWriter.Dispose();
        _connection.Dispose();
        _checkpoints.Dispose();
        _gate.Dispose();
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
        _ids.ResetWrittenCount();
        _idsWriter.Reset(_ids);
        _idsWriter.WriteStartArray();
        for (var i = 0; i < students.Count; i++)
        {
            if (states.TryAdd(students[i].Student.StudentId, new BatchState(null, -1, i)))
            {
                _idsWriter.WriteStringValue(students[i].Student.StudentId);
            }
        }

        _idsWriter.WriteEndArray();
        _idsWriter.Flush();
        _selectVersions.BindText(1, _ids.WrittenSpan);
        var lookup = states.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> idChars = stackalloc char[StudentIdChars];
        try
        {
            while (_selectVersions.Step())
            {
                var idUtf8 = _selectVersions.ColumnUtf8(0);
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
                var storedHash = _selectVersions.ColumnUtf8(5);
                var hash = System.Text.Ascii.Equals(storedHash, incomingHash) ? incomingHash : System.Text.Encoding.UTF8.GetString(storedHash);
                states[id] = state with
                {
                    Version = new StoredVersion(
                        _sources.Key(_selectVersions.ColumnUtf8(1)),
                        _sources.Version(_selectVersions.ColumnUtf8(2)),
                        _sources.Time(_selectVersions.ColumnUtf8(3)),
                        _selectVersions.ColumnInt64(4),
                        hash,
                        _selectVersions.ColumnInt64(6) != 0,
                        _selectVersions.ColumnIsNull(7) ? null : _sources.Seen(_selectVersions.ColumnUtf8(7))),
                };
            }
        }
        finally
        {
            _selectVersions.Reset();
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
        reader.GetString(11))
    {
        SeenTime = reader.IsDBNull(12) ? null : TimeFormat.FromStorage(reader.GetString(12)),
    };

    /// <summary>A chars buffer for a StudentID read back (64 characters at most; longer ones are decoded as strings).</summary>
    private const int StudentIdChars = 64;

    /// <summary>A student of the batch: its stored version, the batch's record that writes it (-1: none), its first record, whether it writes the seen marker instead.</summary>
    private readonly record struct BatchState(StoredVersion? Version, int Writer, int First, bool MarksSeen = false);

    /// <summary>
    /// The source of stored rows, read back as UTF-8: rows written by one file repeat its key, version and time, so the
    /// last ones seen are reused instead of decoded (and the time parsed) for every row.
    /// </summary>
    private sealed class SourceCache
    {
        private readonly Last<string> _key = new();
        private readonly Last<string> _version = new();
        private readonly Last<DateTimeOffset> _time = new();
        private readonly Last<DateTimeOffset> _seen = new();

        public string Key(ReadOnlySpan<byte> utf8) => _key.Get(utf8, static text => System.Text.Encoding.UTF8.GetString(text));

        public string Version(ReadOnlySpan<byte> utf8) => _version.Get(utf8, static text => System.Text.Encoding.UTF8.GetString(text));

        public DateTimeOffset Time(ReadOnlySpan<byte> utf8) => _time.Get(utf8, static text => TimeFormat.FromStorage(System.Text.Encoding.UTF8.GetString(text)));

        public DateTimeOffset Seen(ReadOnlySpan<byte> utf8) => _seen.Get(utf8, static text => TimeFormat.FromStorage(System.Text.Encoding.UTF8.GetString(text)));

        private sealed class Last<T>
        {
            private byte[] _bytes = [];
            private int _length = -1;
            private T _value = default!;

            public T Get(ReadOnlySpan<byte> utf8, Func<ReadOnlySpan<byte>, T> decode)
            {
                if (_length == utf8.Length && _bytes.AsSpan(0, _length).SequenceEqual(utf8))
                {
                    return _value;
                }

                _value = decode(utf8);
                if (_bytes.Length < utf8.Length)
                {
                    _bytes = new byte[Math.Max(64, utf8.Length)];
                }

                utf8.CopyTo(_bytes);
                _length = utf8.Length;
                return _value;
            }
        }
    }
}
