using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Ingestion.Domain.Students;

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
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _canonical;

    // One hasher per thread, reset by each use: SHA256.HashData sets up and frees an OpenSSL context per call, a
    // quarter of the hash's cost on a 160-byte student.
    [ThreadStatic]
    private static IncrementalHash? _sha256;

    private static readonly Comparison<(string Name, JsonElement Value)> ByName = (a, b) => string.CompareOrdinal(a.Name, b.Name);

    public static string Compute(Student student)
    {
        ArgumentNullException.ThrowIfNull(student);
        var writer = CanonicalWriter();
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
            using var extras = JsonDocument.Parse(student.ExtrasJson, StudentJson.DocumentOptions);
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

        writer.Flush();
        return Sha256Hex(_buffer!.WrittenSpan);
    }

    /// <summary>This thread's writer over its emptied buffer: the canonical form's default encoder, no allocation.</summary>
    private static Utf8JsonWriter CanonicalWriter()
    {
        var output = _buffer ??= new ArrayBufferWriter<byte>(1024);
        output.ResetWrittenCount();
        var writer = _canonical ??= new Utf8JsonWriter(output);
        writer.Reset(output);
        return writer;
    }

    private static string Sha256Hex(ReadOnlySpan<byte> canonicalForm)
    {
        var hasher = _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hasher.AppendData(canonicalForm);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        hasher.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var count = element.GetPropertyCount();
                var properties = ArrayPool<(string Name, JsonElement Value)>.Shared.Rent(count);
                try
                {
                    var filled = 0;
                    foreach (var property in element.EnumerateObject())
                    {
                        properties[filled++] = (property.Name, property.Value);
                    }

                    properties.AsSpan(0, filled).Sort(ByName);
                    writer.WriteStartObject();
                    for (var i = 0; i < filled; i++)
                    {
                        writer.WritePropertyName(properties[i].Name);
                        WriteCanonical(writer, properties[i].Value);
                    }

                    writer.WriteEndObject();
                }
                finally
                {
                    ArrayPool<(string Name, JsonElement Value)>.Shared.Return(properties, clearArray: true);
                }

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
                // Without escapes the text between the quotes is the value: re-escape it from UTF-8, no string.
                var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element);
                if (raw.IndexOf((byte)'\\') < 0)
                {
                    writer.WriteStringValue(raw[1..^1]);
                }
                else
                {
                    writer.WriteStringValue(element.GetString());
                }

                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
