using System.CommandLine;
using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest students get|list</c>: the stored student items.</summary>
internal static class StudentsCommand
{
    public static Command Create(CliHost host)
    {
        var command = new DocumentedCommand("students", "Read the stored students: get ID, list.", """
            Read the stored students (the StudentRecords table): ingest students get ID, ingest students list.

            Example:
              ingest students list --department mathematics
              ingest students get S-2001
            """);
        command.Subcommands.Add(StudentsGetCommand.Create(host));
        command.Subcommands.Add(StudentsListCommand.Create(host));
        return command;
    }

    /// <summary>A stored item as DynamoDB holds it: the record's fields, its extra attributes, then the pipeline's own.</summary>
    public static void WriteItem(Utf8JsonWriter writer, StoredStudent student)
    {
        writer.WriteStartObject();
        writer.WriteString("StudentID", student.StudentId);
        writer.WriteString("Name", student.Name);
        writer.WriteString("Department", student.Department);
        writer.WriteString("Email", student.Email);
        foreach (var (name, value) in Extras(student))
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }

        writer.WriteString("CreatedAt", TimeFormat.ToWire(student.CreatedAt));
        writer.WriteString("UpdatedAt", TimeFormat.ToWire(student.UpdatedAt));
        writer.WriteString("SourceKey", student.SourceKey);
        writer.WriteString("SourceVersion", student.SourceVersion);
        writer.WriteString("SourceTime", TimeFormat.ToWire(student.SourceTime));
        writer.WriteNumber("SourceIndex", student.SourceIndex);
        writer.WriteString("ContentHash", student.ContentHash);
        writer.WriteEndObject();
    }

    /// <summary>The extra attributes, in their stored order.</summary>
    public static IReadOnlyList<(string Name, JsonElement Value)> Extras(StoredStudent student)
    {
        if (student.ExtrasJson is not { Length: > 0 } extras)
        {
            return [];
        }

        using var document = JsonDocument.Parse(extras);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? [.. document.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.Clone()))]
            : [];
    }
}
