using System.Buffers;
using System.Text;
using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Functions;
using Ingestion.Domain.Storage;
using Ingestion.Storage.Local.Sqlite;
using Ingestion.Domain.Students;
using Ingestion.Storage.Local.Outbox;
using Microsoft.Data.Sqlite;
using Ingestion.Local;

namespace Ingestion.Tools.Bench;

/// <summary>
/// The baseline's SQLite writer: the pipeline's tables (created by the pipeline's own adapters, so the schema is the
/// same), one connection, one transaction per batch holding the batch's reads, upserts and outbox rows.
/// </summary>
internal sealed class BaselineStore : IDisposable
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string topic;
    private readonly SqliteConnection connection;
    private readonly SqliteStatement begin;
    private readonly SqliteStatement commit;
    private readonly SqliteStatement rollback;
    private readonly SqliteStatement select;
    private readonly SqliteStatement upsert;
    private readonly SqliteStatement outbox;
    private readonly ArrayBufferWriter<byte> buffer = new(512);
    private readonly SqliteCheckpointer checkpoints;

    public BaselineStore(string database, string topicArn)
    {
        topic = topicArn;
        new SqliteStudentStore(database).Dispose();
        new SqliteOutbox(database).DisposeAsync().AsTask().GetAwaiter().GetResult();
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        SqlitePragmas.Apply(connection);
        // Checkpoints off the commit path, as the pipeline's adapters do.
        SqliteCheckpointer.Configure(connection);
        checkpoints = SqliteCheckpointer.Join(database);
        // The same raw prepared statements as the pipeline's adapters: text bound from UTF-8.
        begin = new SqliteStatement(connection, "BEGIN IMMEDIATE;");
        commit = new SqliteStatement(connection, "COMMIT;");
        rollback = new SqliteStatement(connection, "ROLLBACK;");
        select = new SqliteStatement(connection, StudentRows.SelectVersions);
        upsert = new SqliteStatement(connection, StudentRows.Upsert);
        outbox = new SqliteStatement(
            connection,
            "INSERT INTO Outbox (MessageId, Topic, Subject, Message, Attributes, PublishedAt) VALUES (?1, ?2, NULL, ?3, ?4, ?5);");
        outbox.BindText(2, topic);
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
        begin.Execute();
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
            StudentRows.BindBatch(upsert, now, source);
            foreach (var (_, writer) in states.Values)
            {
                if (writer >= 0)
                {
                    StudentRows.Write(upsert, students[writer]);
                }
            }

            outbox.BindText(5, TimeFormat.ToStorage(now));
            for (var i = 0; i < students.Count; i++)
            {
                if (outcomes[i].Notifies)
                {
                    Notify(students[i], outcomes[i], sourceTimeWire);
                    notified++;
                }
            }

            commit.Execute();
        }
        catch
        {
            rollback.Execute();
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
        checkpoints.Dispose();
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

        select.BindText(1, buffer.WrittenSpan);
        try
        {
            while (select.Step())
            {
                states[select.ColumnString(0)] = (new StoredVersion(
                    select.ColumnString(1),
                    select.ColumnString(2),
                    TimeFormat.FromStorage(select.ColumnString(3)),
                    select.ColumnInt64(4),
                    select.ColumnString(5),
                    select.ColumnInt64(6) != 0), -1);
            }
        }
        finally
        {
            select.Reset();
        }
    }

    /// <summary>The row SNS's stand-in keeps for one notification: the body and attributes StoreStudents builds.</summary>
    private void Notify(IncomingStudent incoming, StoreOutcome outcome, string sourceTimeWire)
    {
        buffer.ResetWrittenCount();
        using (var body = new Utf8JsonWriter(buffer))
        {
            StudentNotification.WriteBody(body, incoming, outcome, sourceTimeWire);
        }

        outbox.BindText(3, buffer.WrittenSpan);
        buffer.ResetWrittenCount();
        using (var attributes = new Utf8JsonWriter(buffer, Relaxed))
        {
            StudentNotification.WriteAttributes(attributes, incoming, outcome);
        }

        outbox.BindText(1, MessageIds.New());
        outbox.BindText(4, buffer.WrittenSpan);
        outbox.Execute();
    }

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL only.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.ExecuteNonQuery();
    }
}
