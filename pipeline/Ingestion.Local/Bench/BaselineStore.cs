using System.Buffers;
using System.Text;
using System.Text.Json;
using Ingestion.Handlers;
using Ingestion.Handlers.Storage;
using Ingestion.Handlers.Storage.Sqlite;
using Ingestion.Handlers.Students;
using Ingestion.Local.Outbox;
using Microsoft.Data.Sqlite;

namespace Ingestion.Local.Bench;

/// <summary>
/// The baseline's SQLite writer: the pipeline's tables (created by the pipeline's own adapters, so the schema is the
/// same), one connection, one transaction per batch holding the batch's reads, upserts and outbox rows.
/// </summary>
internal sealed class BaselineStore : IDisposable
{
    private const string Columns = "StudentID, Name, Department, Email, Extras, CreatedAt, UpdatedAt, SourceKey, SourceVersion, SourceTime, SourceIndex, ContentHash";

    private static readonly JsonWriterOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string topic;
    private readonly SqliteConnection connection;
    private readonly SqliteCommand begin;
    private readonly SqliteCommand commit;
    private readonly SqliteCommand rollback;
    private readonly SqliteCommand select;
    private readonly SqliteCommand upsert;
    private readonly SqliteCommand outbox;
    private readonly ArrayBufferWriter<byte> buffer = new(512);

    public BaselineStore(string database, string topicArn)
    {
        topic = topicArn;
        new SqliteStudentStore(database).Dispose();
        new SqliteOutbox(database).DisposeAsync().AsTask().GetAwaiter().GetResult();
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        begin = Prepare("BEGIN IMMEDIATE;");
        commit = Prepare("COMMIT;");
        rollback = Prepare("ROLLBACK;");
        select = Prepare(
            "SELECT StudentID, SourceKey, SourceVersion, SourceTime, SourceIndex, ContentHash, CreatedAt = UpdatedAt FROM Students WHERE StudentID IN (SELECT value FROM json_each($ids));",
            ("$ids", SqliteType.Text));
        upsert = Prepare(
            $"""
            INSERT INTO Students ({Columns}) VALUES ($id, $name, $department, $email, $extras, $now, $now, $key, $version, $time, $index, $hash)
            ON CONFLICT (StudentID) DO UPDATE SET
                Name = excluded.Name, Department = excluded.Department, Email = excluded.Email, Extras = excluded.Extras,
                UpdatedAt = excluded.UpdatedAt, SourceKey = excluded.SourceKey, SourceVersion = excluded.SourceVersion,
                SourceTime = excluded.SourceTime, SourceIndex = excluded.SourceIndex, ContentHash = excluded.ContentHash;
            """,
            ("$id", SqliteType.Text), ("$name", SqliteType.Text), ("$department", SqliteType.Text), ("$email", SqliteType.Text),
            ("$extras", SqliteType.Text), ("$now", SqliteType.Text), ("$key", SqliteType.Text), ("$version", SqliteType.Text),
            ("$time", SqliteType.Text), ("$index", SqliteType.Integer), ("$hash", SqliteType.Text));
        outbox = Prepare(
            "INSERT INTO Outbox (MessageId, Topic, Subject, Message, Attributes, PublishedAt) VALUES ($id, $topic, NULL, $message, $attributes, $time);",
            ("$id", SqliteType.Text), ("$topic", SqliteType.Text), ("$message", SqliteType.Text), ("$attributes", SqliteType.Text), ("$time", SqliteType.Text));
    }

    /// <summary>Stores one batch in one transaction; returns its outcome counts (and notified).</summary>
    public RunCounts StoreBatch(StudentSource source, string sourceTimeWire, IReadOnlyList<IncomingStudent> students)
    {
        if (students.Count == 0)
        {
            return RunCounts.Zero;
        }

        var states = new Dictionary<string, (StoredVersion? Version, int Writer)>(students.Count, StringComparer.Ordinal);
        var outcomes = new StoreOutcome[students.Count];
        long created = 0, updated = 0, unchanged = 0, replayed = 0, stale = 0, notified = 0;
        begin.ExecuteNonQuery();
        try
        {
            ReadVersions(students, states);
            for (var i = 0; i < students.Count; i++)
            {
                var incoming = students[i];
                var state = states[incoming.Student.StudentId];
                var outcome = StoreRules.Decide(state.Version, source, incoming.Index, incoming.ContentHash);
                outcomes[i] = outcome;
                if (outcome.Kind is StoreOutcomeKind.Created or StoreOutcomeKind.Updated)
                {
                    state = (StoreRules.AfterWrite(state.Version, source, incoming.Index, incoming.ContentHash), i);
                }

                states[incoming.Student.StudentId] = state;
                switch (outcome.Kind)
                {
                    case StoreOutcomeKind.Created: created++; break;
                    case StoreOutcomeKind.Updated: updated++; break;
                    case StoreOutcomeKind.Unchanged: unchanged++; break;
                    case StoreOutcomeKind.Replayed: replayed++; break;
                    default: stale++; break;
                }
            }

            var now = TimeFormat.ToStorage(DateTimeOffset.UtcNow);
            var sourceTime = TimeFormat.ToStorage(source.Time);
            foreach (var (_, writer) in states.Values)
            {
                if (writer >= 0)
                {
                    Upsert(students[writer], source, sourceTime, now);
                }
            }

            for (var i = 0; i < students.Count; i++)
            {
                if (outcomes[i].Notifies)
                {
                    Notify(students[i], outcomes[i], sourceTimeWire, now);
                    notified++;
                }
            }

            commit.ExecuteNonQuery();
        }
        catch
        {
            rollback.ExecuteNonQuery();
            throw;
        }

        return new RunCounts(0, created, updated, unchanged, replayed, stale, 0, 0, notified);
    }

    public void Dispose()
    {
        foreach (var command in new[] { begin, commit, rollback, select, upsert, outbox })
        {
            command.Dispose();
        }

        connection.Dispose();
    }

    private void ReadVersions(IReadOnlyList<IncomingStudent> students, Dictionary<string, (StoredVersion? Version, int Writer)> states)
    {
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
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

        select.Parameters[0].Value = Encoding.UTF8.GetString(buffer.WrittenSpan);
        using var reader = select.ExecuteReader();
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

    private void Upsert(IncomingStudent incoming, StudentSource source, string sourceTime, string now)
    {
        var student = incoming.Student;
        var p = upsert.Parameters;
        p[0].Value = student.StudentId;
        p[1].Value = student.Name;
        p[2].Value = student.Department;
        p[3].Value = student.Email;
        p[4].Value = student.ExtrasJson is null ? DBNull.Value : student.ExtrasJson;
        p[5].Value = now;
        p[6].Value = source.Key;
        p[7].Value = source.Version;
        p[8].Value = sourceTime;
        p[9].Value = incoming.Index;
        p[10].Value = incoming.ContentHash;
        upsert.ExecuteNonQuery();
    }

    /// <summary>The row SNS's stand-in keeps for one notification: the body and attributes StoreStudents builds.</summary>
    private void Notify(IncomingStudent incoming, StoreOutcome outcome, string sourceTimeWire, string now)
    {
        var change = outcome.ChangeType!;
        buffer.ResetWrittenCount();
        using (var body = new Utf8JsonWriter(buffer))
        {
            body.WriteStartObject();
            body.WriteString("changeType", change);
            body.WriteString("studentId", incoming.Student.StudentId);
            body.WriteString("department", incoming.Student.Department);
            body.WriteString("sourceTime", sourceTimeWire);
            body.WriteString("contentHash", incoming.ContentHash);
            if (outcome.Kind == StoreOutcomeKind.Replayed)
            {
                body.WriteBoolean("replayed", true);
            }

            body.WriteEndObject();
        }

        var message = Encoding.UTF8.GetString(buffer.WrittenSpan);
        buffer.ResetWrittenCount();
        using (var attributes = new Utf8JsonWriter(buffer, Relaxed))
        {
            attributes.WriteStartObject();
            attributes.WriteStartObject("ChangeType");
            attributes.WriteString("DataType", "String");
            attributes.WriteString("StringValue", change);
            attributes.WriteEndObject();
            attributes.WriteStartObject("Department");
            attributes.WriteString("DataType", "String");
            attributes.WriteString("StringValue", incoming.Student.Department);
            attributes.WriteEndObject();
            attributes.WriteEndObject();
        }

        var p = outbox.Parameters;
        p[0].Value = Guid.NewGuid().ToString();
        p[1].Value = topic;
        p[2].Value = message;
        p[3].Value = Encoding.UTF8.GetString(buffer.WrittenSpan);
        p[4].Value = now;
        outbox.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL only.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL only; values go through parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }
}
