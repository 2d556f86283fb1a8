using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ingestion.Rehearsal.Template;

/// <summary>
/// Resolves CloudFormation's intrinsic functions (<c>Ref</c>, <c>Fn::GetAtt</c>, <c>Fn::Join</c>, <c>Fn::Sub</c>,
/// <c>Fn::Select</c>, <c>Fn::Split</c>) and pseudo parameters against <see cref="RehearsalResources"/>.
/// </summary>
/// <remarks>Anything else (conditions, imports, Fn::FindInMap) is an error naming where it appears: the rehearsal never guesses.</remarks>
internal sealed partial class Intrinsics(RehearsalResources resources)
{
    /// <summary>A copy of <paramref name="node"/> with every intrinsic function replaced by its value.</summary>
    /// <param name="where">Where the node sits in the template, for error messages.</param>
    public JsonNode? Resolve(JsonNode? node, string where)
    {
        switch (node)
        {
            case JsonObject { Count: 1 } call when call.First().Key is "Ref" or "Fn::GetAtt" or "Fn::Join" or "Fn::Sub" or "Fn::Select" or "Fn::Split":
                return Call(call.First().Key, call.First().Value, where);
            case JsonObject { Count: 1 } other when other.First().Key.StartsWith("Fn::", StringComparison.Ordinal):
                throw new TemplateException($"{where}: {other.First().Key} is not supported by the rehearsal.");
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    copy[key] = Resolve(value, $"{where}.{key}");
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select((item, i) => Resolve(item, $"{where}[{i}]"))]);
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>Resolves to a string, or fails naming <paramref name="where"/>.</summary>
    public string ResolveString(JsonNode? node, string where) =>
        Resolve(node, where) is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new TemplateException($"{where}: expected a string.");

    private JsonNode? Call(string function, JsonNode? argument, string where)
    {
        switch (function)
        {
            case "Ref":
                return Reference(argument?.GetValue<string>() ?? "", where);
            case "Fn::GetAtt":
                var (id, attribute) = argument is JsonArray pair
                    ? (pair[0]!.GetValue<string>(), pair[1]!.GetValue<string>())
                    : Split(argument!.GetValue<string>());
                if (!resources.Exists(id))
                {
                    throw new TemplateException($"{where}: Fn::GetAtt names '{id}', which the template does not define.");
                }

                return resources.Attribute(id, attribute);
            case "Fn::Join":
                var join = (JsonArray)argument!;
                var separator = join[0]!.GetValue<string>();
                var parts = Resolve(join[1], where) as JsonArray ?? throw new TemplateException($"{where}: Fn::Join needs a list.");
                return string.Join(separator, parts.Select(p => p!.GetValue<string>()));
            case "Fn::Select":
                var select = (JsonArray)argument!;
                var index = int.Parse(ResolveString(select[0], where) is var s && s.Length > 0 ? s : "0", System.Globalization.CultureInfo.InvariantCulture);
                return (Resolve(select[1], where) as JsonArray)?[index]?.DeepClone();
            case "Fn::Split":
                var split = (JsonArray)argument!;
                return new JsonArray([.. ResolveString(split[1], where).Split(split[0]!.GetValue<string>()).Select(p => (JsonNode)p)]);
            default:
                return Sub(argument, where);
        }
    }

    private string Sub(JsonNode? argument, string where)
    {
        var (template, variables) = argument is JsonArray sub
            ? (sub[0]!.GetValue<string>(), (sub[1] as JsonObject)?.ToDictionary(v => v.Key, v => ResolveString(v.Value, $"{where}.{v.Key}")) ?? [])
            : (argument!.GetValue<string>(), new Dictionary<string, string>());
        var result = new StringBuilder();
        var last = 0;
        foreach (Match match in SubVariable().Matches(template))
        {
            result.Append(template, last, match.Index - last);
            var name = match.Groups[1].Value;
            result.Append(
                name.StartsWith('!') ? "${" + name[1..] + "}"
                : variables.TryGetValue(name, out var value) ? value
                : name.Contains('.', StringComparison.Ordinal) && !name.StartsWith("AWS::", StringComparison.Ordinal) ? Attribute(name, where)
                : Reference(name, where));
            last = match.Index + match.Length;
        }

        return result.Append(template, last, template.Length - last).ToString();
    }

    private string Attribute(string dotted, string where)
    {
        var (id, attribute) = Split(dotted);
        return resources.Exists(id) ? resources.Attribute(id, attribute) : throw new TemplateException($"{where}: Fn::Sub names '{dotted}', which the template does not define.");
    }

    private string Reference(string name, string where) => name switch
    {
        "AWS::Region" => RehearsalResources.Region,
        "AWS::AccountId" => RehearsalResources.AccountId,
        "AWS::Partition" => "aws",
        "AWS::URLSuffix" => "amazonaws.com",
        "AWS::StackName" => "Ingestion",
        _ when resources.Exists(name) => resources.Ref(name),
        _ => throw new TemplateException($"{where}: Ref names '{name}', which the template does not define (parameters are not supported)."),
    };

    private static (string Id, string Attribute) Split(string dotted)
    {
        var dot = dotted.IndexOf('.', StringComparison.Ordinal);
        return (dotted[..dot], dotted[(dot + 1)..]);
    }

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex SubVariable();
}
