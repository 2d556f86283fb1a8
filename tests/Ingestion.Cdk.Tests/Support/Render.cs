using System.Text;
using System.Text.Json.Nodes;

namespace Ingestion.Cdk.Tests.Support;

/// <summary>CloudFormation values as readable text: <c>{"Ref": "X"}</c> → <c>${X}</c>, <c>Fn::GetAtt [X, Arn]</c> → <c>${X.Arn}</c>, <c>Fn::Join</c> concatenated.</summary>
internal static class Render
{
    public static string Value(JsonNode? node) => node switch
    {
        JsonValue value => value.ToString(),
        JsonObject obj when obj.Count == 1 && obj["Ref"] is { } reference => "${" + reference.GetValue<string>() + "}",
        JsonObject obj when obj.Count == 1 && obj["Fn::GetAtt"] is JsonArray getAtt =>
            "${" + string.Join('.', getAtt.Select(p => p!.GetValue<string>())) + "}",
        JsonObject obj when obj.Count == 1 && obj["Fn::Join"] is JsonArray join =>
            string.Join(join[0]!.GetValue<string>(), join[1]!.AsArray().Select(Value)),
        JsonObject obj when obj.Count == 1 && obj["Fn::Sub"] is JsonValue sub => sub.GetValue<string>(),
        _ => throw new InvalidOperationException($"Cannot render {node?.ToJsonString()}"),
    };

    /// <summary>A string or a list of them (IAM's Action and Resource), as a sorted list.</summary>
    public static List<string> List(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => array.Select(Value).Order(StringComparer.Ordinal).ToList(),
        _ => [Value(node)],
    };

    /// <summary>A whole JSON tree with every intrinsic rendered: what a value looks like after deployment.</summary>
    public static JsonNode? Resolve(JsonNode? node) => node switch
    {
        JsonObject obj when obj.Count == 1 && obj.First().Key is "Ref" or "Fn::GetAtt" or "Fn::Join" or "Fn::Sub" => JsonValue.Create(Value(obj)),
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Resolve).ToArray()),
        _ => node?.DeepClone(),
    };

    public static string Text(IEnumerable<string> lines)
    {
        var builder = new StringBuilder();
        foreach (var line in lines)
        {
            builder.AppendLine(line);
        }

        return builder.ToString();
    }
}
