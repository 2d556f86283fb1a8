using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Parsing;
using Ingestion.States.Paths;
using Ingestion.States.Templates;

namespace Ingestion.States.Runtime;

/// <summary>Evaluates Choice rules. A Variable that finds nothing is States.Runtime, except for IsPresent.</summary>
internal static class ChoiceEvaluator
{
    public static string? Choose(State.Choice choice, JValue input, ContextSource? context = null) =>
        Match(choice, input, context)?.Next ?? choice.Default;

    /// <summary>The first rule that matches, or null (the Default applies).</summary>
    public static ChoiceBranch? Match(State.Choice choice, JValue input, ContextSource? context = null, IRandomSource? random = null)
    {
        foreach (var branch in choice.Choices)
        {
            if (Matches(branch.Rule, input, context, random))
            {
                return branch;
            }
        }

        return null;
    }

    public static bool Matches(ChoiceRule rule, JValue input, ContextSource? context = null, IRandomSource? random = null) => rule switch
    {
        ChoiceRule.And and => and.Rules.All(r => Matches(r, input, context, random)),
        ChoiceRule.Or or => or.Rules.Any(r => Matches(r, input, context, random)),
        ChoiceRule.Not not => !Matches(not.Rule, input, context, random),
        ChoiceRule.Comparison comparison => Compare(comparison, input, context),
        ChoiceRule.Condition condition => Condition(condition, input, context, random ?? RandomSource.Shared),
        _ => false,
    };

    /// <summary>A JSONata Condition: anything but a boolean is States.QueryEvaluationError.</summary>
    private static bool Condition(ChoiceRule.Condition rule, JValue input, ContextSource? context, IRandomSource random)
    {
        var value = rule.Query.Evaluate(rule.Field, new EvaluationScope(input, context, random));
        return value is JBool b ? b.Value : throw rule.Query.WrongType(rule.Field, "boolean", value);
    }

    /// <summary>A <c>$$</c> Variable (or …Path operand) reads the context object, a <c>$name</c> one a workflow variable, as on AWS.</summary>
    private static JValue RootFor(JsonPath path, JValue input, ContextSource? context) => ContextSource.RootFor(path, input, context);

    private static bool Compare(ChoiceRule.Comparison rule, JValue input, ContextSource? context)
    {
        // An unassigned variable is absent, which IsPresent may ask about.
        JValue? variable = null;
        var found = ContextSource.TryRootFor(rule.Variable, input, context, out var root) && rule.Variable.TrySelectSingle(root, out variable);
        if (rule.Operator == ChoiceOperator.IsPresent)
        {
            return found == ((JBool)rule.Value!).Value;
        }

        if (!found)
        {
            throw StatesException.Runtime($"Invalid path '{rule.Variable.Text}': The choice state's condition path references an invalid value.");
        }

        var operand = rule.Value;
        if (rule.ValuePath is not null && !rule.ValuePath.TrySelectSingle(RootFor(rule.ValuePath, input, context), out operand))
        {
            throw StatesException.Runtime($"Invalid path '{rule.ValuePath.Text}': The choice state's condition path references an invalid value.");
        }

        var value = variable!;
        return rule.Operator switch
        {
            ChoiceOperator.IsNull => (value is JNull) == Flag(operand),
            ChoiceOperator.IsNumeric => (value is JNumber) == Flag(operand),
            ChoiceOperator.IsString => (value is JString) == Flag(operand),
            ChoiceOperator.IsBoolean => (value is JBool) == Flag(operand),
            ChoiceOperator.IsTimestamp => (value is JString ts && Timestamps.TryParse(ts.Value, out _)) == Flag(operand),
            ChoiceOperator.StringMatches => value is JString s && operand is JString pattern && Wildcard.Matches(pattern.Value, s.Value),
            ChoiceOperator.BooleanEquals => value is JBool b && operand is JBool ob && b.Value == ob.Value,
            >= ChoiceOperator.StringEquals and <= ChoiceOperator.StringGreaterThanEquals =>
                value is JString a && operand is JString o && Relate(rule.Operator, string.CompareOrdinal(a.Value, o.Value)),
            >= ChoiceOperator.NumericEquals and <= ChoiceOperator.NumericGreaterThanEquals =>
                value is JNumber n && operand is JNumber on && Relate(rule.Operator, n.Value.CompareTo(on.Value)),
            >= ChoiceOperator.TimestampEquals and <= ChoiceOperator.TimestampGreaterThanEquals =>
                value is JString t && operand is JString ot && Timestamps.TryParse(t.Value, out var left) && Timestamps.TryParse(ot.Value, out var right)
                && Relate(rule.Operator, left.CompareTo(right)),
            _ => false,
        };
    }

    private static bool Flag(JValue? operand) => operand is JBool { Value: true };

    private static bool Relate(ChoiceOperator op, int order) => op.ToString() switch
    {
        var name when name.EndsWith("LessThanEquals", StringComparison.Ordinal) => order <= 0,
        var name when name.EndsWith("GreaterThanEquals", StringComparison.Ordinal) => order >= 0,
        var name when name.EndsWith("LessThan", StringComparison.Ordinal) => order < 0,
        var name when name.EndsWith("GreaterThan", StringComparison.Ordinal) => order > 0,
        _ => order == 0,
    };
}
