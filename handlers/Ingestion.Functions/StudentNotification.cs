using System.Text.Json;
using Ingestion.Domain.Storage;

namespace Ingestion.Functions;

/// <summary>
/// What a created, updated or replayed student is announced with: the message body, and the attributes subscribers
/// filter on. One place for StoreStudents and the benchmark's baseline, so both publish the same messages.
/// </summary>
public static class StudentNotification
{
    /// <summary>The message body. A replay repeats the original change, flagged <c>"replayed": true</c>.</summary>
    public static void WriteBody(Utf8JsonWriter body, IncomingStudent incoming, StoreOutcome outcome, string sourceTime)
    {
        ArgumentNullException.ThrowIfNull(body);
        body.WriteStartObject();
        body.WriteString("changeType", outcome.ChangeType);
        body.WriteString("studentId", incoming.Student.StudentId);
        body.WriteString("department", incoming.Student.Department);
        body.WriteString("sourceTime", sourceTime);
        body.WriteString("contentHash", incoming.ContentHash);
        if (outcome.Kind == StoreOutcomeKind.Replayed)
        {
            body.WriteBoolean("replayed", true);
        }

        body.WriteEndObject();
    }

    /// <summary>The MessageAttributes object: ChangeType and Department, as SNS string attributes.</summary>
    public static void WriteAttributes(Utf8JsonWriter writer, IncomingStudent incoming, StoreOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartObject("ChangeType");
        writer.WriteString("DataType", "String");
        writer.WriteString("StringValue", outcome.ChangeType);
        writer.WriteEndObject();
        writer.WriteStartObject("Department");
        writer.WriteString("DataType", "String");
        writer.WriteString("StringValue", incoming.Student.Department);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
