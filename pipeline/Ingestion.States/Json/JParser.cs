using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Ingestion.States.Json;

/// <summary>Reads JSON text into <see cref="JValue"/> trees with <see cref="Utf8JsonReader"/>.</summary>
public static class JParser
{
    /// <summary>AWS accepts deeply nested payloads; 512 bounds the recursion well below stack limits.</summary>
    public const int DefaultMaxDepth = 512;

    private static readonly JsonReaderOptions Options = new()
    {
        MaxDepth = DefaultMaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static JValue Parse(ReadOnlySpan<byte> utf8) => Parse(utf8, DefaultMaxDepth);

    public static JValue Parse(ReadOnlySpan<byte> utf8, int maxDepth)
    {
        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        var reader = new Utf8JsonReader(utf8, maxDepth == DefaultMaxDepth ? Options : Options with { MaxDepth = maxDepth });
        if (!reader.Read())
        {
            throw new JsonException("The input is empty: expected a JSON value.");
        }

        var value = ReadValue(ref reader);
        if (reader.Read())
        {
            throw new JsonException($"Unexpected data after the JSON value at byte {reader.TokenStartIndex}.");
        }

        return value;
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out JValue? value, [NotNullWhen(false)] out string? error)
    {
        try
        {
            value = Parse(System.Text.Encoding.UTF8.GetBytes(text));
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            value = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Reads the value at the reader's current token and leaves the reader on its last token.</summary>
    public static JValue ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return ReadObject(ref reader);
            case JsonTokenType.StartArray:
                return ReadArray(ref reader);
            case JsonTokenType.String:
                return new JString(reader.GetString()!);
            case JsonTokenType.Number:
                return ReadNumber(ref reader);
            case JsonTokenType.True:
                return JValue.True;
            case JsonTokenType.False:
                return JValue.False;
            case JsonTokenType.Null:
                return JValue.Null;
            default:
                throw new JsonException($"Unexpected token {reader.TokenType} at byte {reader.TokenStartIndex}.");
        }
    }

    private static JNumber ReadNumber(ref Utf8JsonReader reader)
    {
        if (reader.TryGetInt64(out var integer))
        {
            return JNumber.Of(integer);
        }

        var value = reader.GetDouble();
        var span = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
        return JNumber.FromText(value, System.Text.Encoding.UTF8.GetString(span));
    }

    private static JArray ReadArray(ref Utf8JsonReader reader)
    {
        var items = new List<JValue>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(ReadValue(ref reader));
        }

        return items.Count == 0 ? JArray.Empty : new JArray([.. items]);
    }

    private static JObject ReadObject(ref Utf8JsonReader reader)
    {
        var properties = new List<KeyValuePair<string, JValue>>();
        var hasDuplicate = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            var value = ReadValue(ref reader);
            if (!hasDuplicate)
            {
                foreach (var existing in properties)
                {
                    if (string.Equals(existing.Key, name, StringComparison.Ordinal))
                    {
                        hasDuplicate = true;
                        break;
                    }
                }
            }

            properties.Add(new(name, value));
        }

        if (properties.Count == 0)
        {
            return JObject.Empty;
        }

        return hasDuplicate ? JObject.FromProperties(properties) : new JObject([.. properties]);
    }
}
