using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Ingestion.Handlers.Students;

/// <summary>SHA-256 (lower-case hex) over a canonical form of a normalised student.</summary>
/// <remarks>
/// The canonical form is compact JSON of one object holding the required fields and the extras, every object's
/// keys sorted ordinally (nested ones too), arrays in order, numbers as written, strings escaped by
/// <see cref="Utf8JsonWriter"/>'s default encoder. Two records with the same content hash the same whatever
/// order their fields came in; the store compares hashes to tell updated from unchanged.
/// </remarks>
public static class ContentHash
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? buffer;

    public static string Compute(Student student)
    {
        ArgumentNullException.ThrowIfNull(student);
        var output = buffer ??= new ArrayBufferWriter<byte>(1024);
        output.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(output))
        {
            if (student.ExtrasJson is null)
            {
                // Already in ordinal order: Department < Email < Name < StudentID.
                writer.WriteStartObject();
                writer.WriteString(FieldNames.Department, student.Department);
                writer.WriteString(FieldNames.Email, student.Email);
                writer.WriteString(FieldNames.Name, student.Name);
                writer.WriteString(FieldNames.StudentId, student.StudentId);
                writer.WriteEndObject();
            }
            else
            {
                using var extras = JsonDocument.Parse(student.ExtrasJson, Functions.JsonInput.Options);
                var fields = new List<KeyValuePair<string, JsonElement?>>
                {
                    new(FieldNames.Department, null),
                    new(FieldNames.Email, null),
                    new(FieldNames.Name, null),
                    new(FieldNames.StudentId, null),
                };
                foreach (var property in extras.RootElement.EnumerateObject())
                {
                    fields.Add(new(property.Name, property.Value));
                }

                fields.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
                writer.WriteStartObject();
                foreach (var (name, value) in fields)
                {
                    writer.WritePropertyName(name);
                    if (value is { } element)
                    {
                        WriteCanonical(writer, element);
                    }
                    else
                    {
                        writer.WriteStringValue(name switch
                        {
                            FieldNames.Department => student.Department,
                            FieldNames.Email => student.Email,
                            FieldNames.Name => student.Name,
                            _ => student.StudentId,
                        });
                    }
                }

                writer.WriteEndObject();
            }
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(output.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The hash of a normalised student given as its JSON object (what ValidateStudents outputs).</summary>
    /// <remarks>Equal to <see cref="Compute(Student)"/> of the same student: both hash the same canonical form.</remarks>
    public static string Compute(JsonElement normalisedStudent)
    {
        var output = buffer ??= new ArrayBufferWriter<byte>(1024);
        output.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(output))
        {
            WriteCanonical(writer, normalisedStudent);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(output.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = element.EnumerateObject().ToList();
                properties.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (var property in properties)
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
