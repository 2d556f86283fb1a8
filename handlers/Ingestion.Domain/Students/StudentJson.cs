using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Ingestion.Domain.Students;

/// <summary>A normalised student as JSON: the four required fields in canonical spelling first, then the extras as they came.</summary>
public static class StudentJson
{
    /// <summary>
    /// How deep a student record and the envelopes around it may nest: a record as deep as the item readers allow (64)
    /// inside the envelopes around it (batch, item, ValidateStudents' output, result files), with room to spare.
    /// JSON's default of 64 would fail a whole batch, retry after retry, for one record the reader accepted.
    /// </summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 128 };

    /// <summary>Writes the student; extras come from <see cref="Student.ExtrasJson"/>.</summary>
    public static void Write(Utf8JsonWriter writer, Student student)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(student);
        writer.WriteStartObject();
        WriteRequired(writer, student);
        if (student.ExtrasJson is not null)
        {
            using var extras = JsonDocument.Parse(student.ExtrasJson, DocumentOptions);
            foreach (var property in extras.RootElement.EnumerateObject())
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes the student with its extras copied straight from the record it was validated from (no re-parse).</summary>
    public static void Write(Utf8JsonWriter writer, Student student, JsonElement record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(student);
        writer.WriteStartObject();
        WriteRequired(writer, student);
        if (student.ExtrasJson is not null)
        {
            foreach (var property in record.EnumerateObject())
            {
                if (StudentValidator.RequiredFieldIndex(property.Name) < 0)
                {
                    property.WriteTo(writer);
                }
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads a normalised student (canonical names, string values) back, e.g. from ValidateStudents' output.</summary>
    /// <exception cref="InvalidHandlerInputException">A required field is missing or not a string.</exception>
    public static Student Read(JsonElement normalised)
    {
        if (normalised.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidHandlerInputException("A valid student must be a JSON object.");
        }

        string? id = null, name = null, department = null, email = null;
        var extras = 0;
        foreach (var property in normalised.EnumerateObject())
        {
            switch (property.Name)
            {
                case FieldNames.StudentId: id = Text(property); break;
                case FieldNames.Name: name = Text(property); break;
                case FieldNames.Department: department = Text(property); break;
                case FieldNames.Email: email = Text(property); break;
                default: extras++; break;
            }
        }

        if (id is null || name is null || department is null || email is null)
        {
            throw new InvalidHandlerInputException("A valid student must have StudentID, Name, Department and Email as strings.");
        }

        return new Student(id, name, department, email, extras == 0 ? null : ExtrasJson(normalised));
    }

    private static string? Text(JsonProperty property) =>
        property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;

    private static string ExtrasJson(JsonElement normalised)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in normalised.EnumerateObject())
            {
                if (property.Name is not (FieldNames.StudentId or FieldNames.Name or FieldNames.Department or FieldNames.Email))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteRequired(Utf8JsonWriter writer, Student student)
    {
        writer.WriteString(FieldNames.StudentId, student.StudentId);
        writer.WriteString(FieldNames.Name, student.Name);
        writer.WriteString(FieldNames.Department, student.Department);
        writer.WriteString(FieldNames.Email, student.Email);
    }
}
