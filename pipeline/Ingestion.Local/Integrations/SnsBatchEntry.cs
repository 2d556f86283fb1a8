using System.Text;
using System.Text.Json;
using Ingestion.States.Json;

namespace Ingestion.Local.Integrations;

/// <summary>The fields of one PublishBatchRequestEntries entry that the outbox keeps; null where absent or unusable.</summary>
/// <param name="Message">A non-empty string as it is; another JSON value as its JSON text; null when absent, null or empty.</param>
/// <param name="AttributesJson">MessageAttributes as JSON text when it is a non-empty object.</param>
internal readonly record struct SnsBatchEntry(string? Id, string? Subject, string? Message, string? AttributesJson)
{
    /// <summary>Reads an entry, from the JSON text it came as when it keeps one (no tree built), else from its parts.</summary>
    public static SnsBatchEntry Read(JValue entry) =>
        entry.TryGetUtf8Text(out var text) ? FromText(text.Span) : FromObject(entry as JObject);

    private static SnsBatchEntry FromObject(JObject? entry)
    {
        if (entry is null)
        {
            return default;
        }

        return new SnsBatchEntry((entry.Get("Id") as JString)?.Value, (entry.Get("Subject") as JString)?.Value, MessageText(entry), AttributesText(entry));
    }

    /// <summary>A request's or an entry's Message: a non-empty string; a JSON value given instead as its JSON text, as Step Functions sends it.</summary>
    public static string? MessageText(JObject request) => request.Get("Message") switch
    {
        JString { Value.Length: > 0 } text => text.Value,
        null or JNull or JString => null,
        { } other => other.ToJsonString(),
    };

    /// <summary>MessageAttributes as JSON text, when a non-empty object.</summary>
    public static string? AttributesText(JObject request) =>
        request.Get("MessageAttributes") is JObject { Count: > 0 } attributes ? attributes.ToJsonString() : null;

    private static SnsBatchEntry FromText(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return default;
        }

        string? id = null, subject = null, message = null, attributes = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Names compared unescaped; the last of a repeated name counts, as in the tree JParser builds.
            var field = Field(ref reader);
            reader.Read();
            switch (field)
            {
                case Kept.Id:
                    id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    break;
                case Kept.Subject:
                    subject = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    break;
                case Kept.Message:
                    message = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString() is { Length: > 0 } text ? text : null,
                        JsonTokenType.Null => null,
                        _ => Encoding.UTF8.GetString(ValueText(ref reader, json)),
                    };
                    break;
                case Kept.MessageAttributes:
                    var probe = reader;
                    var empty = reader.TokenType != JsonTokenType.StartObject || (probe.Read() && probe.TokenType == JsonTokenType.EndObject);
                    attributes = empty ? null : Encoding.UTF8.GetString(ValueText(ref reader, json));
                    break;
            }

            reader.Skip();
        }

        return new SnsBatchEntry(id, subject, message, attributes);
    }

    /// <summary>Which kept field the property name the reader is on names.</summary>
    private static Kept Field(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("Id"u8) ? Kept.Id
        : reader.ValueTextEquals("Subject"u8) ? Kept.Subject
        : reader.ValueTextEquals("Message"u8) ? Kept.Message
        : reader.ValueTextEquals("MessageAttributes"u8) ? Kept.MessageAttributes
        : Kept.None;

    /// <summary>The text of the value the reader is on, leaving the reader on its last token.</summary>
    private static ReadOnlySpan<byte> ValueText(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return json[start..(int)reader.BytesConsumed];
    }

    private enum Kept
    {
        None,
        Id,
        Subject,
        Message,
        MessageAttributes,
    }
}
