using Ingestion.Domain;
using Ingestion.Domain.Storage;

namespace Ingestion.Storage.Local.Sqlite;

/// <summary>
/// The SQL a batch of students is stored with, and how its parameters are bound: one place, for the student store
/// and for the benchmark's baseline, so both write the same rows.
/// </summary>
internal static class StudentRows
{
    /// <summary>The columns a write sets.</summary>
    public const string Columns = "StudentID, Name, Department, Email, Extras, CreatedAt, UpdatedAt, SourceKey, SourceVersion, SourceTime, SourceIndex, ContentHash";

    /// <summary>The columns a stored student is read from: those a write sets, then the seen marker.</summary>
    public const string ReadColumns = Columns + ", SeenTime";

    /// <summary>The stored versions of a batch's students: ?1 is a JSON array of their ids.</summary>
    public const string SelectVersions =
        "SELECT StudentID, SourceKey, SourceVersion, SourceTime, SourceIndex, ContentHash, CreatedAt = UpdatedAt, SeenTime FROM Students WHERE StudentID IN (SELECT value FROM json_each(?1));";

    /// <summary>The seen marker of an unchanged student: ?1 its id, ?2 the source time. Inside the batch's transaction, so no condition is needed.</summary>
    public const string MarkSeen = "UPDATE Students SET SeenTime = ?2 WHERE StudentID = ?1;";

    /// <summary>One student written: ?1–?5 and ?10–?11 per student, ?6 (the time) and ?7–?9 (the source) per batch.</summary>
    /// <remarks>SeenTime is left as it is: it can only be older than the new SourceTime (see <see cref="StoreRules.AfterWrite"/>).</remarks>
    public const string Upsert = $"""
        INSERT INTO Students ({Columns})
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10, ?11)
        ON CONFLICT (StudentID) DO UPDATE SET
            Name = excluded.Name, Department = excluded.Department, Email = excluded.Email, Extras = excluded.Extras,
            UpdatedAt = excluded.UpdatedAt, SourceKey = excluded.SourceKey, SourceVersion = excluded.SourceVersion,
            SourceTime = excluded.SourceTime, SourceIndex = excluded.SourceIndex, ContentHash = excluded.ContentHash;
        """;

    /// <summary>Binds what every row of a batch shares, once: SQLite keeps bindings across executions.</summary>
    public static void BindBatch(SqliteStatement upsert, DateTimeOffset now, StudentSource source)
    {
        ArgumentNullException.ThrowIfNull(upsert);
        ArgumentNullException.ThrowIfNull(source);
        upsert.BindText(6, TimeFormat.ToStorage(now));
        upsert.BindText(7, source.Key);
        upsert.BindText(8, source.Version);
        upsert.BindText(9, TimeFormat.ToStorage(source.Time));
    }

    /// <summary>Writes one student of the batch <see cref="BindBatch"/> bound.</summary>
    public static void Write(SqliteStatement upsert, IncomingStudent incoming)
    {
        ArgumentNullException.ThrowIfNull(upsert);
        var student = incoming.Student;
        upsert.BindText(1, student.StudentId);
        upsert.BindText(2, student.Name);
        upsert.BindText(3, student.Department);
        upsert.BindText(4, student.Email);
        upsert.BindText(5, student.ExtrasJson);
        upsert.BindInt64(10, incoming.Index);
        upsert.BindText(11, incoming.ContentHash);
        upsert.Execute();
    }
}
