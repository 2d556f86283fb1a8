using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Paths;

namespace Ingestion.States.Parsing;

/// <summary>Parses a Choice state's rules, checking each operator's operand type.</summary>
internal static class ChoiceParser
{
    private static readonly Dictionary<string, ChoiceOperator> Operators =
        Enum.GetValues<ChoiceOperator>().ToDictionary(o => o.ToString(), StringComparer.Ordinal);

    public static State.Choice Parse(string name, FieldReader fields)
    {
        var (io, _) = StateParser.Common(fields, transitions: false);
        var branches = new List<ChoiceBranch>();
        if (fields.Raw("Choices") is JArray { Count: > 0 } choices)
        {
            for (var i = 0; i < choices.Count; i++)
            {
                var field = $"Choices[{i}]";
                if (choices[i] is not JObject rule)
                {
                    fields.Report(field, "must be an object");
                    continue;
                }

                ChoiceRule? parsed = fields.Language == QueryLanguage.Jsonata ? ParseCondition(fields, field, rule) : ParseRule(fields, field, rule, topLevel: true);
                var next = rule.Get("Next") as JString;
                if (next is null)
                {
                    fields.Report($"{field}.Next", "is required on a top-level choice rule");
                }

                var assign = QueryFields.Assign(fields, $"{field}.Assign", rule.Get("Assign"));
                var output = fields.Language == QueryLanguage.Jsonata && rule.Get("Output") is { } raw
                    ? QueryFields.CompileJsonata(raw, $"{field}/Output", (f, m) => fields.Report(f.Replace('/', '.'), m))
                    : null;
                if (parsed is not null && next is not null)
                {
                    branches.Add(new ChoiceBranch(parsed, next.Value) { Assign = assign, Output = output });
                }
            }
        }
        else
        {
            fields.Report("Choices", "is required: a non-empty array of choice rules");
        }

        if (fields.Has("Next") || fields.Has("End"))
        {
            fields.MarkRead("Next", "End");
            fields.Report(fields.Has("Next") ? "Next" : "End", "a Choice state cannot have Next or End; use Choices and Default");
        }

        return new State.Choice
        {
            Name = name,
            InputPath = io.Input,
            OutputPath = io.Output,
            Choices = branches,
            Default = fields.String("Default"),
        };
    }

    /// <summary>A JSONata rule: a Condition (an expression, or a boolean), Next, and optionally Assign and Output.</summary>
    private static ChoiceRule.Condition? ParseCondition(FieldReader fields, string field, JObject rule)
    {
        foreach (var (key, _) in rule)
        {
            if (key is not ("Condition" or "Next" or "Comment" or "Assign" or "Output"))
            {
                fields.Report($"{field}.{key}", Operators.ContainsKey(key) || key is "Variable" or "And" or "Or" or "Not" || key.EndsWith("Path", StringComparison.Ordinal)
                    ? "is a JSONPath field, not allowed in a JSONata state: use Condition"
                    : "is not a field of a choice rule");
            }
        }

        var location = $"{field}/Condition";
        switch (rule.Get("Condition"))
        {
            case JString s when Templates.JsonataQuery.IsExpression(s.Value):
                if (Templates.JsonataQuery.TryParse(s.Value, out var query, out var error))
                {
                    return new ChoiceRule.Condition(location, query);
                }

                fields.Report($"{field}.Condition", error);
                return null;
            case JBool b:
                return new ChoiceRule.Condition(location, Templates.JsonataQuery.TryParse(b.Value ? "{% true %}" : "{% false %}", out var constant, out _) ? constant : null!);
            default:
                fields.Report($"{field}.Condition", "is required: a JSONata expression {% … %} that gives a boolean");
                return null;
        }
    }

    private static ChoiceRule? ParseRule(FieldReader fields, string field, JObject rule, bool topLevel)
    {
        if (!topLevel && rule.Get("Next") is not null)
        {
            fields.Report($"{field}.Next", "only top-level choice rules may have Next");
        }

        if (!topLevel && rule.Get("Assign") is not null)
        {
            fields.Report($"{field}.Assign", "only top-level choice rules may have Assign");
        }

        if (rule.Get("And") is not null || rule.Get("Or") is not null)
        {
            var key = rule.Get("And") is not null ? "And" : "Or";
            if (rule.Get(key) is not JArray { Count: > 0 } items)
            {
                fields.Report($"{field}.{key}", "must be a non-empty array of rules");
                return null;
            }

            var rules = new List<ChoiceRule>();
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is JObject inner && ParseRule(fields, $"{field}.{key}[{i}]", inner, topLevel: false) is { } parsed)
                {
                    rules.Add(parsed);
                }
                else if (items[i] is not JObject)
                {
                    fields.Report($"{field}.{key}[{i}]", "must be an object");
                }
            }

            CheckExtra(fields, field, rule, key);
            return key == "And" ? new ChoiceRule.And(rules) : new ChoiceRule.Or(rules);
        }

        if (rule.Get("Not") is { } not)
        {
            CheckExtra(fields, field, rule, "Not");
            if (not is not JObject innerRule)
            {
                fields.Report($"{field}.Not", "must be a rule object");
                return null;
            }

            var inner = ParseRule(fields, $"{field}.Not", innerRule, topLevel: false);
            return inner is null ? null : new ChoiceRule.Not(inner);
        }

        return ParseComparison(fields, field, rule);
    }

    private static ChoiceRule.Comparison? ParseComparison(FieldReader fields, string field, JObject rule)
    {
        JsonPath? variable = null;
        if (rule.Get("Variable") is JString v)
        {
            if (!JsonPath.TryParseReference(v.Value, out variable, out var error))
            {
                fields.Report($"{field}.Variable", error);
            }
        }
        else
        {
            fields.Report($"{field}.Variable", "is required (a reference path) unless the rule is And, Or or Not");
        }

        string? operatorName = null;
        JValue? operand = null;
        foreach (var (key, value) in rule)
        {
            if (key is "Variable" or "Next" or "Comment" or "Assign")
            {
                continue;
            }

            var baseName = key.EndsWith("Path", StringComparison.Ordinal) && key != "StringMatches" ? key[..^4] : key;
            if (Operators.ContainsKey(key) || (Operators.ContainsKey(baseName) && IsPathable(Operators[baseName])))
            {
                if (operatorName is not null)
                {
                    fields.Report($"{field}.{key}", $"a rule has exactly one comparison operator (already has {operatorName})");
                    continue;
                }

                operatorName = key;
                operand = value;
            }
            else
            {
                fields.Report($"{field}.{key}", "is not a comparison operator or field of a choice rule");
            }
        }

        if (operatorName is null || operand is null)
        {
            fields.Report(field, "needs a comparison operator such as StringEquals or IsPresent");
            return null;
        }

        var isPath = !Operators.ContainsKey(operatorName);
        var op = Operators[isPath ? operatorName[..^4] : operatorName];
        var operandField = $"{field}.{operatorName}";
        if (isPath)
        {
            string? error = "must be a reference path string";
            if (operand is JString p && JsonPath.TryParseReference(p.Value, out var valuePath, out error))
            {
                return variable is null ? null : new ChoiceRule.Comparison(variable, op, null, valuePath);
            }

            fields.Report(operandField, error);
            return null;
        }

        if (!OperandFits(op, operand, out var expected))
        {
            fields.Report(operandField, $"must be {expected}");
            return null;
        }

        return variable is null ? null : new ChoiceRule.Comparison(variable, op, operand, null);
    }

    private static bool IsPathable(ChoiceOperator op) => op is not (ChoiceOperator.StringMatches or ChoiceOperator.IsNull or ChoiceOperator.IsPresent
        or ChoiceOperator.IsNumeric or ChoiceOperator.IsString or ChoiceOperator.IsBoolean or ChoiceOperator.IsTimestamp);

    private static bool OperandFits(ChoiceOperator op, JValue operand, out string expected)
    {
        var name = op.ToString();
        if (name.StartsWith("String", StringComparison.Ordinal))
        {
            expected = "a string";
            return operand is JString;
        }

        if (name.StartsWith("Numeric", StringComparison.Ordinal))
        {
            expected = "a number";
            return operand is JNumber;
        }

        if (name.StartsWith("Timestamp", StringComparison.Ordinal))
        {
            expected = "an RFC 3339 timestamp string";
            return operand is JString s && Timestamps.TryParse(s.Value, out _);
        }

        expected = "a boolean";
        return operand is JBool;
    }

    private static void CheckExtra(FieldReader fields, string field, JObject rule, string key)
    {
        foreach (var (name, _) in rule)
        {
            if (name != key && name is not ("Next" or "Comment" or "Assign"))
            {
                fields.Report($"{field}.{name}", $"cannot be combined with {key}");
            }
        }
    }
}
