using System.Buffers;
using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Functions;
using Ingestion.Storage.Local.Outbox;
using Ingestion.Storage.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ingestion.Tools.Bench;

/// <summary>
/// The baseline's SQLite writer: the pipeline's tables (created by the pipeline's own adapters, so the schema is the
/// same), one connection, one transaction per batch holding the batch's reads, upserts and outbox rows.
/// </summary>
internal sealed class BaselineStore : IDisposable
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _topic;
    private readonly SqliteConnection _connection;
    private readonly SqliteStatement _begin;
    private readonly SqliteStatement _commit;
    private readonly SqliteStatement _rollback;
    private readonly SqliteStatement _select;
    private readonly SqliteStatement _upsert;
    private readonly SqliteStatement _outbox;
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly SqliteCheckpointer _checkpoints;

    public BaselineStore(string database, string topicArn)
    {
        _topic = topicArn;
        new SqliteStudentStore(database).Dispose();
        new SqliteOutbox(database).DisposeAsync().AsTask().GetAwaiter().GetResult();
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        _connection.Open();
        SqlitePragmas.Apply(_connection);
        // Checkpoints off the commit path, as the pipeline's adapters do.
        SqliteCheckpointer.Configure(_connection);
        _checkpoints = SqliteCheckpointer.Join(database);
        // The same raw prepared statements as the pipeline's adapters: text bound from UTF-8.
        _begin = new SqliteStatement(_connection, "BEGIN IMMEDIATE;");
        _commit = new SqliteStatement(_connection, "COMMIT;");
        _rollback = new SqliteStatement(_connection, "ROLLBACK;");
        _select = new SqliteStatement(_connection, StudentRows.SelectVersions);
        _upsert = new SqliteStatement(_connection, StudentRows.Upsert);
        _outbox = new SqliteStatement(
            _connection,
            "INSERT INTO Outbox (MessageId, Topic, Subject, Message, Attributes, PublishedAt) VALUES (?1, ?2, NULL, ?3, ?4, ?5);");
        _outbox.BindText(2, _topic);
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
        _begin.Execute();
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

            var now = DateTimeOffset.UtcNow;
            StudentRows.BindBatch(_upsert, now, source);
            foreach (var (_, writer) in states.Values)
            {
                if (writer >= 0)
                {
                    StudentRows.Write(_upsert, students[writer]);
                }
            }

            _outbox.BindText(5, TimeFormat.ToStorage(now));
            for (var i = 0; i < students.Count; i++)
            {
                if (outcomes[i].Notifies)
                {
                    Notify(students[i], outcomes[i], sourceTimeWire);
                    notified++;
                }
            }

            _commit.Execute();
        }
        catch
        {
            _rollback.Execute();
            throw;
        }

        return new RunCounts(0, created, updated, unchanged, replayed, stale, 0, 0, notified);
    }

    public void Dispose()
    {
        foreach (var command in new[] { _begin, _commit, _rollback, _select, _upsert, _outbox })
        {
            command.Dispose();
        }

        _connection.Dispose();
        _checkpoints.Dispose();
    }

    private void ReadVersions(IReadOnlyList<IncomingStudent> students, Dictionary<string, (StoredVersion? Version, int Writer)> states)
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
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

        _select.BindText(1, _buffer.WrittenSpan);
        try
        {
            while (_select.Step())
            {
                states[_select.ColumnString(0)] = (new StoredVersion(
                    _select.ColumnString(1),
                    _select.ColumnString(2),
                    TimeFormat.FromStorage(_select.ColumnString(3)),
                    _select.ColumnInt64(4),
                    _select.ColumnString(5),
                    _select.ColumnInt64(6) != 0), -1);
            }
        }
        finally
        {
            _select.Reset();
        }
    }

    /// <summary>The row SNS's stand-in keeps for one notification: the body and attributes StoreStudents builds.</summary>
    private void Notify(IncomingStudent incoming, StoreOutcome outcome, string sourceTimeWire)
    {
        _buffer.ResetWrittenCount();
        using (var body = new Utf8JsonWriter(_buffer))
        {
            StudentNotification.WriteBody(body, incoming, outcome, sourceTimeWire);
        }

        _outbox.BindText(3, _buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        using (var attributes = new Utf8JsonWriter(_buffer, Relaxed))
        {
            StudentNotification.WriteAttributes(attributes, incoming, outcome);
        }

        _outbox.BindText(1, MessageIds.New());
        _outbox.BindText(4, _buffer.WrittenSpan);
        _outbox.Execute();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL only.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.ExecuteNonQuery();
    }
}
