using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Ingestion.Handlers.Storage.Sqlite;

/// <summary>The embedded <see cref="IStudentStore"/>: one SQLite file, one <c>BEGIN IMMEDIATE</c> transaction per batch.</summary>
/// <remarks>
/// Within a transaction the batch's stored rows are read, the outcomes decided by <see cref="StoreRules"/> in index
/// order, and only created or updated students written (once each, in their final state). Thread-safe: calls on
/// one instance take turns on its connection; other instances and processes wait on SQLite's write lock.
/// </remarks>
public sealed class SqliteStudentStore : IStudentStore, IDisposable
{
    private const string Columns = "StudentID, Name, Department, Email, Extras, CreatedAt, UpdatedAt, SourceKey, SourceVersion, SourceTime, SourceIndex, ContentHash";

    private readonly SqliteOptions options;
    private readonly TimeProvider clock;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly SemaphoreSlim writeLock;
    private readonly SqliteConnection connection;
    private readonly SqliteCommand begin;
    private readonly SqliteCommand commit;
    private readonly SqliteCommand rollback;
    private readonly SqliteCommand selectVersions;
    private readonly SqliteCommand selectStudent;
    private readonly SqliteCommand upsert;

    public SqliteStudentStore(SqliteOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.clock = clock ?? TimeProvider.System;
        connection = SqliteDatabase.Open(options);
        writeLock = SqliteWriteLock.For(options.Path);
        begin = SqliteDatabase.Prepare(connection, "BEGIN IMMEDIATE;");
        commit = SqliteDatabase.Prepare(connection, "COMMIT;");
        rollback = SqliteDatabase.Prepare(connection, "ROLLBACK;");
        // One statement reads a whole batch's stored versions: the ids go in as one JSON array.
        selectVersions = SqliteDatabase.Prepare(
            connection,
            "SELECT StudentID, SourceKey, SourceVersion, SourceTime, SourceIndex, ContentHash, CreatedAt = UpdatedAt FROM Students WHERE StudentID IN (SELECT value FROM json_each($ids));",
            ("$ids", SqliteType.Text));
        selectStudent = SqliteDatabase.Prepare(connection, $"SELECT {Columns} FROM Students WHERE StudentID = $id;", ("$id", SqliteType.Text));
        upsert = SqliteDatabase.Prepare(
            connection,
            $"""
            INSERT INTO Students ({Columns})
            VALUES ($id, $name, $department, $email, $extras, $now, $now, $key, $version, $time, $index, $hash)
            ON CONFLICT (StudentID) DO UPDATE SET
                Name = excluded.Name, Department = excluded.Department, Email = excluded.Email, Extras = excluded.Extras,
                UpdatedAt = excluded.UpdatedAt, SourceKey = excluded.SourceKey, SourceVersion = excluded.SourceVersion,
                SourceTime = excluded.SourceTime, SourceIndex = excluded.SourceIndex, ContentHash = excluded.ContentHash;
            """,
            ("$id", SqliteType.Text),
            ("$name", SqliteType.Text),
            ("$department", SqliteType.Text),
            ("$email", SqliteType.Text),
            ("$extras", SqliteType.Text),
            ("$now", SqliteType.Text),
            ("$key", SqliteType.Text),
            ("$version", SqliteType.Text),
            ("$time", SqliteType.Text),
            ("$index", SqliteType.Integer),
            ("$hash", SqliteType.Text));
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
        // Synchronously, as SQLite's own lock is waited for: the transaction that follows is synchronous work too.
        writeLock.Wait(cancellationToken);
        try
        {
            var outcomes = new StoreOutcome[students.Count];
            var states = new Dictionary<string, (StoredVersion? Version, int Writer)>(students.Count, StringComparer.Ordinal);
            var sourceTime = TimeFormat.ToStorage(source.Time);
            begin.ExecuteNonQuery();
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
                        state = (StoreRules.AfterWrite(state.Version, source, incoming.Index, incoming.ContentHash), i);
                    }

                    states[id] = state;
                }

                var now = TimeFormat.ToStorage(clock.GetUtcNow());
                foreach (var (_, writer) in states.Values)
                {
                    if (writer >= 0)
                    {
                        Write(students[writer], source, sourceTime, now);
                    }
                }

                commit.ExecuteNonQuery();
            }
            catch
            {
                rollback.ExecuteNonQuery();
                throw;
            }

            return outcomes;
        }
        finally
        {
            writeLock.Release();
            gate.Release();
        }
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
            ? $"SELECT {Columns} FROM Students ORDER BY StudentID;"
            : $"SELECT {Columns} FROM Students WHERE Department = $department ORDER BY StudentID;";
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
        foreach (var command in new[] { begin, commit, rollback, selectVersions, selectStudent, upsert })
        {
            command.Dispose();
        }

        connection.Dispose();
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
    private void ReadVersions(IReadOnlyList<IncomingStudent> students, Dictionary<string, (StoredVersion? Version, int Writer)> states)
    {
        var ids = new System.Buffers.ArrayBufferWriter<byte>(students.Count * 16);
        using (var writer = new System.Text.Json.Utf8JsonWriter(ids))
        {
            writer.WriteStartArray();
            foreach (var incoming in students)
            {
                if (states.TryAdd(incoming.Student.StudentId, (null, -1)))
                {
                    writer.WriteStringValue(incoming.Student.StudentId);
                }
            }

            writer.WriteEndArray();
        }

        selectVersions.Parameters[0].Value = System.Text.Encoding.UTF8.GetString(ids.WrittenSpan);
        using var reader = selectVersions.ExecuteReader();
        while (reader.Read())
        {
            states[reader.GetString(0)] = (new StoredVersion(
                reader.GetString(1),
                reader.GetString(2),
                TimeFormat.FromStorage(reader.GetString(3)),
                reader.GetInt64(4),
                reader.GetString(5),
                reader.GetBoolean(6)), -1);
        }
    }

    private void Write(IncomingStudent incoming, StudentSource source, string sourceTime, string now)
    {
        var student = incoming.Student;
        var parameters = upsert.Parameters;
        parameters[0].Value = student.StudentId;
        parameters[1].Value = student.Name;
        parameters[2].Value = student.Department;
        parameters[3].Value = student.Email;
        parameters[4].Value = SqliteDatabase.DbValue(student.ExtrasJson);
        parameters[5].Value = now;
        parameters[6].Value = source.Key;
        parameters[7].Value = source.Version;
        parameters[8].Value = sourceTime;
        parameters[9].Value = incoming.Index;
        parameters[10].Value = incoming.ContentHash;
        upsert.ExecuteNonQuery();
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
}
