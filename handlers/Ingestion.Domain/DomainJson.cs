using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Ingestion.Domain.Students;

namespace Ingestion.Domain;

/// <summary>
/// The domain's shared wire shapes, written and read here only: run counts (<c>{"received", "created", …}</c>) and
/// errors (<c>{"Error", "Cause"}</c>) as the functions' outputs, the reports, the ledgers and the CLI carry them.
/// </summary>
public static class DomainJson
{
    public static JsonTypeInfo<RunCounts> RunCounts => DomainJsonContext.Default.RunCounts;

    public static JsonTypeInfo<ErrorInfo> ErrorInfo => DomainJsonContext.Default.ErrorInfo;

    public static string Serialize(RunCounts counts) => JsonSerializer.Serialize(counts, RunCounts);

    public static string Serialize(ErrorInfo error) => JsonSerializer.Serialize(error, ErrorInfo);

    public static void Write(Utf8JsonWriter writer, RunCounts counts) => JsonSerializer.Serialize(writer, counts, RunCounts);

    /// <summary>Writes the counts' fields into the object the writer has open, for lines that carry them flat.</summary>
    public static void WriteProperties(Utf8JsonWriter writer, RunCounts counts)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var document = JsonSerializer.SerializeToDocument(counts, RunCounts);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            property.WriteTo(writer);
        }
    }

    public static void Write(Utf8JsonWriter writer, ErrorInfo error) => JsonSerializer.Serialize(writer, error, ErrorInfo);

    public static RunCounts ReadRunCounts(string json) =>
        JsonSerializer.Deserialize(json, RunCounts) ?? throw new JsonException("Run counts are null.");

    public static RunCounts ReadRunCounts(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, RunCounts) ?? throw new JsonException("Run counts are null.");

    public static RunCounts ReadRunCounts(JsonElement element) =>
        element.Deserialize(RunCounts) ?? throw new JsonException("Run counts are null.");

    public static ErrorInfo ReadErrorInfo(string json) =>
        JsonSerializer.Deserialize(json, ErrorInfo) ?? throw new JsonException("An error is null.");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(RunCounts))]
[JsonSerializable(typeof(ErrorInfo))]
internal sealed partial class DomainJsonContext : JsonSerializerContext;
