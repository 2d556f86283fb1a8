using System.Net;
using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;

namespace Ingestion.Local.Events;

/// <summary>Turns pattern JSON into <see cref="PatternNode"/>s, rejecting anything EventBridge would reject.</summary>
internal static class EventPatternParser
{
    private static readonly HashSet<string> NumericOperators = ["=", "<", "<=", ">", ">="];

    public static PatternNode ParseObject(JsonElement pattern, string path)
    {
        var fields = new List<PatternField>();
        var orGroups = new List<IReadOnlyList<PatternNode>>();
        foreach (var property in pattern.EnumerateObject())
        {
            var fieldPath = $"{path}.{property.Name}";
            if (property.Name == "$or")
            {
                orGroups.Add(ParseOr(property.Value, fieldPath));
                continue;
            }

            fields.Add(property.Value.ValueKind switch
            {
                JsonValueKind.Object => new PatternField(property.Name, ParseObject(property.Value, fieldPath), []),
                JsonValueKind.Array => new PatternField(property.Name, null, ParseMatchers(property.Value, fieldPath)),
                _ => throw new EventPatternException(fieldPath, "a field's value must be an object or an array of matchers"),
            });
        }

        return new PatternNode(fields, orGroups);
    }

    private static List<PatternNode> ParseOr(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() < 2)
        {
            throw new EventPatternException(path, "$or takes an array of at least two patterns");
        }

        return value.EnumerateArray()
            .Select((alternative, i) => alternative.ValueKind == JsonValueKind.Object
                ? ParseObject(alternative, $"{path}[{i}]")
                : throw new EventPatternException($"{path}[{i}]", "each $or alternative must be an object"))
            .ToList();
    }

    private static List<Matcher> ParseMatchers(JsonElement array, string path)
    {
        if (array.GetArrayLength() == 0)
        {
            throw new EventPatternException(path, "an empty array matches nothing; EventBridge rejects it");
        }

        return array.EnumerateArray().Select((m, i) => ParseMatcher(m, $"{path}[{i}]")).ToList();
    }

    private static Matcher ParseMatcher(JsonElement matcher, string path)
    {
        switch (matcher.ValueKind)
        {
            case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null:
                return new Matcher.Exact(matcher.Clone());
            case JsonValueKind.Object:
                break;
            default:
                throw new EventPatternException(path, "a matcher must be a value or an object such as {\"prefix\": …}");
        }

        var properties = matcher.EnumerateObject().ToList();
        if (properties.Count != 1)
        {
            throw new EventPatternException(path, "a matcher object has exactly one operator");
        }

        var (name, operand) = (properties[0].Name, properties[0].Value);
        var operandPath = $"{path}.{name}";
        return name switch
        {
            "prefix" => ParseAffix(operand, operandPath, (text, ignoreCase) => new Matcher.Prefix(text, ignoreCase)),
            "suffix" => ParseAffix(operand, operandPath, (text, ignoreCase) => new Matcher.Suffix(text, ignoreCase)),
            "equals-ignore-case" => new Matcher.EqualsIgnoreCase(RequireString(operand, operandPath)),
            "wildcard" => new Matcher.Wildcard(RequireString(operand, operandPath)),
            "anything-but" => ParseAnythingBut(operand, operandPath),
            "numeric" => ParseNumeric(operand, operandPath),
            "exists" => operand.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? new Matcher.Exists(operand.GetBoolean())
                : throw new EventPatternException(operandPath, "exists takes true or false"),
            "cidr" => ParseCidr(operand, operandPath),
            _ => throw new EventPatternException(path, $"unknown operator '{name}'"),
        };
    }

    private static Matcher ParseAffix(JsonElement operand, string path, Func<string, bool, Matcher> create)
    {
        if (operand.ValueKind == JsonValueKind.String)
        {
            return create(operand.GetString()!, false);
        }

        if (operand.ValueKind == JsonValueKind.Object
            && operand.EnumerateObject().Count() == 1
            && operand.TryGetProperty("equals-ignore-case", out var text))
        {
            return create(RequireString(text, $"{path}.equals-ignore-case"), true);
        }

        throw new EventPatternException(path, "takes a string or {\"equals-ignore-case\": string}");
    }

    private static Matcher.AnythingBut ParseAnythingBut(JsonElement operand, string path)
    {
        switch (operand.ValueKind)
        {
            case JsonValueKind.String or JsonValueKind.Number:
                return new Matcher.AnythingBut([new Matcher.Exact(operand.Clone())]);
            case JsonValueKind.Array when operand.GetArrayLength() > 0:
                return new Matcher.AnythingBut(operand.EnumerateArray()
                    .Select((v, i) => v.ValueKind is JsonValueKind.String or JsonValueKind.Number
                        ? (Matcher)new Matcher.Exact(v.Clone())
                        : throw new EventPatternException($"{path}[{i}]", "anything-but lists hold strings or numbers"))
                    .ToList());
            case JsonValueKind.Object:
                // equals-ignore-case may hold a list here, unlike everywhere else.
                if (operand.TryGetProperty("equals-ignore-case", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    return new Matcher.AnythingBut(list.EnumerateArray()
                        .Select((v, i) => (Matcher)new Matcher.EqualsIgnoreCase(RequireString(v, $"{path}.equals-ignore-case[{i}]")))
                        .ToList());
                }

                var inner = ParseMatcher(operand, path);
                if (inner is Matcher.Prefix or Matcher.Suffix or Matcher.EqualsIgnoreCase or Matcher.Wildcard)
                {
                    return new Matcher.AnythingBut([inner]);
                }

                throw new EventPatternException(path, "anything-but takes prefix, suffix, equals-ignore-case or wildcard");
            default:
                throw new EventPatternException(path, "anything-but takes a value, a non-empty list or an operator object");
        }
    }

    private static Matcher.Numeric ParseNumeric(JsonElement operand, string path)
    {
        var items = operand.ValueKind == JsonValueKind.Array ? operand.EnumerateArray().ToList() : [];
        if (items.Count is not (2 or 4))
        {
            throw new EventPatternException(path, "numeric takes one or two [operator, number] pairs");
        }

        var comparisons = new List<(string, double)>();
        for (var i = 0; i < items.Count; i += 2)
        {
            var op = items[i].ValueKind == JsonValueKind.String ? items[i].GetString()! : "";
            if (!NumericOperators.Contains(op))
            {
                throw new EventPatternException($"{path}[{i}]", "expected one of = < <= > >=");
            }

            if (items[i + 1].ValueKind != JsonValueKind.Number)
            {
                throw new EventPatternException($"{path}[{i + 1}]", "expected a number");
            }

            comparisons.Add((op, items[i + 1].GetDouble()));
        }

        return new Matcher.Numeric(comparisons);
    }

    private static Matcher.Cidr ParseCidr(JsonElement operand, string path)
    {
        var text = RequireString(operand, path);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0
            || !IPAddress.TryParse(text[..slash], out var address)
            || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || !int.TryParse(text[(slash + 1)..], out var bits)
            || bits is < 0 or > 32)
        {
            throw new EventPatternException(path, "cidr takes an IPv4 block such as 10.0.0.0/24");
        }

        var mask = bits == 0 ? 0u : uint.MaxValue << (32 - bits);
        return new Matcher.Cidr(Matcher.Cidr.ToUInt32(address) & mask, mask);
    }

    private static string RequireString(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new EventPatternException(path, "expected a string");
}
