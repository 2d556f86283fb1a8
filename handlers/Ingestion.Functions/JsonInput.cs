using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Ingestion.Domain;
using Ingestion.Domain.Students;

namespace Ingestion.Functions;

/// <summary>Reading handler input: parse errors and missing fields become <see cref="InvalidHandlerInputException"/> naming the field.</summary>
internal static class JsonInput
{
    /// <summary>How deep handler input may nest: as deep as a student record may (<see cref="StudentJson.DocumentOptions"/>).</summary>
    public static readonly JsonDocumentOptions Options = StudentJson.DocumentOptions;

    public static async Task<JsonDocument> ParseAsync(Stream input, string function, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            if (input is MemoryStream memory && memory.TryGetBuffer(out var buffer))
            {
                // The caller's buffer, parsed where it is: it outlives the document, which every handler disposes
                // before it returns.
                return JsonDocument.Parse(buffer.AsMemory((int)memory.Position), Options);
            }

            return await JsonDocument.ParseAsync(input, Options, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new InvalidHandlerInputException($"{function} input is not JSON: {e.Message}", e);
        }
    }

    public static JsonElement Required(JsonElement parent, string path)
    {
        var current = parent;
        foreach (var name in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                throw new InvalidHandlerInputException($"Input has no '{path}'.");
            }
        }

        return current;
    }

    public static bool TryGet(JsonElement parent, string path, out JsonElement value)
    {
        value = parent;
        foreach (var name in path.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
            {
                return false;
            }
        }

        return value.ValueKind != JsonValueKind.Null;
    }

    public static string? OptionalString(JsonElement parent, string path) =>
        TryGet(parent, path, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    public static string RequiredString(JsonElement parent, string path) =>
        OptionalString(parent, path) is { Length: > 0 } text ? text : throw new InvalidHandlerInputException($"Input has no '{path}' string.");

    public static T Deserialize<T>(JsonElement element, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return element.Deserialize(type) ?? throw new InvalidHandlerInputException($"'{what}' is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidHandlerInputException($"'{what}' does not have the documented shape: {e.Message}", e);
        }
    }

    public static bool TryGetLong(JsonElement parent, string name, [NotNullWhen(true)] out long? value)
    {
        value = parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var element) && element.TryGetInt64(out var number) ? number : null;
        return value is not null;
    }
}
