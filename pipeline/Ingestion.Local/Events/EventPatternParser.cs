using System.Net;
using Ingestion.States.Json;

namespace Ingestion.Local.Events;

/// <summary>Turns pattern JSON into <see cref="PatternNode"/>s, rejecting anything EventBridge would reject.</summary>
internal static class EventPatternParser
{
    private static readonly HashSet<string> NumericOperators = ["=", "<", "<=", ">", ">="];

    public static PatternNode ParseObject(JObject pattern, string path)
    {
        var fields = new List<PatternField>();
        var orGroups = new List<IReadOnlyList<PatternNode>>();
        foreach (var property in pattern)
        {
            var fieldPath = $"{path}.{property.Key}";
            if (property.Key == "$or")
            {
                orGroups.Add(ParseOr(property.Value, fieldPath));
                continue;
            }

            fields.Add(property.Value switch
            {
                JObject nested => new PatternField(property.Key, ParseObject(nested, fieldPath), []),
                JArray matchers => new PatternField(property.Key, null, ParseMatchers(matchers, fieldPath)),
                _ => throw new EventPatternException(fieldPath, "a field's value must be an object or an array of matchers"),
            });
        }

        return new PatternNode(fields, orGroups);
    }

    private static List<PatternNode> ParseOr(JValue value, string path)
    {
        if (value is not JArray { Count: >= 2 } alternatives)
        {
            throw new EventPatternException(path, "$or takes an array of at least two patterns");
        }

        return alternatives
            .Select((alternative, i) => alternative is JObject pattern
                ? ParseObject(pattern, $"{path}[{i}]")
                : throw new EventPatternException($"{path}[{i}]", "each $or alternative must be an object"))
            .ToList();
    }

    private static List<Matcher> ParseMatchers(JArray array, string path)
    {
        if (array.Count == 0)
        {
            throw new EventPatternException(path, "an empty array matches nothing; EventBridge rejects it");
        }

        return array.Select((m, i) => ParseMatcher(m, $"{path}[{i}]")).ToList();
    }

    private static Matcher ParseMatcher(JValue matcher, string path)
    {
        switch (matcher)
        {
            case JString or JNumber or JBool or JNull:
                return new Matcher.Exact(matcher);
            case JObject { Count: 1 }:
                break;
            case JObject:
                throw new EventPatternException(path, "a matcher object has exactly one operator");
            default:
                throw new EventPatternException(path, "a matcher must be a value or an object such as {\"prefix\": …}");
        }

        var (name, operand) = (((JObject)matcher)[0].Key, ((JObject)matcher)[0].Value);
        var operandPath = $"{path}.{name}";
        return name switch
        {
            "prefix" => ParseAffix(operand, operandPath, (text, ignoreCase) => new Matcher.Prefix(text, ignoreCase)),
            "suffix" => ParseAffix(operand, operandPath, (text, ignoreCase) => new Matcher.Suffix(text, ignoreCase)),
            "equals-ignore-case" => new Matcher.EqualsIgnoreCase(RequireString(operand, operandPath)),
            "wildcard" => new Matcher.Wildcard(RequireString(operand, operandPath)),
            "anything-but" => ParseAnythingBut(operand, operandPath),
            "numeric" => ParseNumeric(operand, operandPath),
            "exists" => operand is JBool flag
                ? new Matcher.Exists(flag.Value)
                : throw new EventPatternException(operandPath, "exists takes true or false"),
            "cidr" => ParseCidr(operand, operandPath),
            _ => throw new EventPatternException(path, $"unknown operator '{name}'"),
        };
    }

    private static Matcher ParseAffix(JValue operand, string path, Func<string, bool, Matcher> create)
    {
        if (operand is JString affix)
        {
            return create(affix.Value, false);
        }

        if (operand is JObject { Count: 1 } options
            && options.TryGetValue("equals-ignore-case", out var text))
        {
            return create(RequireString(text, $"{path}.equals-ignore-case"), true);
        }

        throw new EventPatternException(path, "takes a string or {\"equals-ignore-case\": string}");
    }

    private static Matcher.AnythingBut ParseAnythingBut(JValue operand, string path)
    {
        switch (operand)
        {
            case JString or JNumber:
                return new Matcher.AnythingBut([new Matcher.Exact(operand)]);
            case JArray { Count: > 0 } values:
                return new Matcher.AnythingBut(values
                    .Select((v, i) => v is JString or JNumber
                        ? (Matcher)new Matcher.Exact(v)
                        : throw new EventPatternException($"{path}[{i}]", "anything-but lists hold strings or numbers"))
                    .ToList());
            case JObject options:
                // equals-ignore-case may hold a list here, unlike everywhere else.
                if (options.TryGetValue("equals-ignore-case", out var texts) && texts is JArray list)
                {
                    return new Matcher.AnythingBut(list
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

    private static Matcher.Numeric ParseNumeric(JValue operand, string path)
    {
        var items = operand is JArray array ? array.ToList() : [];
        if (items.Count is not (2 or 4))
        {
            throw new EventPatternException(path, "numeric takes one or two [operator, number] pairs");
        }

        var comparisons = new List<(string, double)>();
        for (var i = 0; i < items.Count; i += 2)
        {
            var op = items[i] is JString text ? text.Value : "";
            if (!NumericOperators.Contains(op))
            {
                throw new EventPatternException($"{path}[{i}]", "expected one of = < <= > >=");
            }

            if (items[i + 1] is not JNumber operandNumber)
            {
                throw new EventPatternException($"{path}[{i + 1}]", "expected a number");
            }

            comparisons.Add((op, operandNumber.Value));
        }

        return new Matcher.Numeric(comparisons);
    }

    private static Matcher.Cidr ParseCidr(JValue operand, string path)
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

    private static string RequireString(JValue value, string path) =>
        value is JString text
            ? text.Value
            : throw new EventPatternException(path, "expected a string");
}
