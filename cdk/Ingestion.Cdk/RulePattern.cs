using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK.AWS.Events;

namespace Ingestion.Cdk;

/// <summary>Turns <c>ingest-rule.json</c> (placeholders filled in) into the rule's <see cref="EventPattern"/>.</summary>
/// <remarks>
/// The same file drives the local event router, so its content is the pattern: nothing is added or dropped here. A
/// top-level field this mapping does not know fails the synth rather than being silently ignored.
/// </remarks>
internal static class RulePattern
{
    public static EventPattern From(DefinitionFile file, IReadOnlyDictionary<string, string> values)
    {
        file.RequireExactly(values.Keys);
        if (file.Json is not JsonObject root)
        {
            throw new InvalidDataException($"'{file.Path}': an event pattern is a JSON object.");
        }

        var pattern = new EventPattern();
        foreach (var (field, node) in root)
        {
            var value = Convert(node, values, $"{file.Path}: {field}");
            switch (field)
            {
                case "source": pattern.Source = Strings(value, file, field); break;
                case "detail-type": pattern.DetailType = Strings(value, file, field); break;
                case "account": pattern.Account = Strings(value, file, field); break;
                case "region": pattern.Region = Strings(value, file, field); break;
                case "resources": pattern.Resources = Strings(value, file, field); break;
                case "detail":
                    pattern.Detail = value as IDictionary<string, object>
                        ?? throw new InvalidDataException($"'{file.Path}': 'detail' must be an object.");
                    break;
                default:
                    throw new InvalidDataException($"'{file.Path}': the event pattern field '{field}' is not supported by the CDK app.");
            }
        }

        return pattern;
    }

    /// <summary>JSON to the plain objects jsii marshals: dictionaries, arrays, strings, numbers, booleans.</summary>
    private static object Convert(JsonNode? node, IReadOnlyDictionary<string, string> values, string where) => node switch
    {
        JsonObject obj => obj.ToDictionary(p => p.Key, p => Convert(p.Value, values, $"{where}.{p.Key}"), StringComparer.Ordinal),
        JsonArray array => array.Select((item, i) => Convert(item, values, $"{where}[{i}]")).ToArray(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => Substitute(value.GetValue<string>(), values),
            JsonValueKind.Number => value.GetValue<double>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidDataException($"{where}: null is not supported in event patterns here."),
        },
        _ => throw new InvalidDataException($"{where}: null is not supported in event patterns here."),
    };

    private static string Substitute(string text, IReadOnlyDictionary<string, string> values)
    {
        foreach (var (name, value) in values)
        {
            text = text.Replace("${" + name + "}", value, StringComparison.Ordinal);
        }

        return text;
    }

    private static string[] Strings(object value, DefinitionFile file, string field) =>
        value is object[] items && items.All(i => i is string)
            ? items.Cast<string>().ToArray()
            : throw new InvalidDataException($"'{file.Path}': '{field}' must be an array of strings here.");
}
