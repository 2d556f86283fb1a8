using Ingestion.States.Json;
using Ingestion.States.Paths;

namespace Ingestion.States.Model;

/// <summary>A top-level Choice rule: a condition and where it leads; its Assign and Output replace the state's when it matches.</summary>
internal sealed record ChoiceBranch(ChoiceRule Rule, string Next)
{
    public Templates.PayloadTemplate? Assign { get; init; }

    public Templates.PayloadTemplate? Output { get; init; }
}

/// <summary>A Choice condition: the closed set of boolean expressions.</summary>
internal abstract record ChoiceRule
{
    private ChoiceRule()
    {
    }

    public sealed record And(IReadOnlyList<ChoiceRule> Rules) : ChoiceRule;

    public sealed record Or(IReadOnlyList<ChoiceRule> Rules) : ChoiceRule;

    public sealed record Not(ChoiceRule Rule) : ChoiceRule;

    /// <summary>A JSONata rule's Condition: an expression that must give a boolean.</summary>
    public sealed record Condition(string Field, Templates.JsonataQuery Query) : ChoiceRule;

    /// <summary>
    /// <c>Variable</c> compared with a literal (<paramref name="Value"/>) or another path
    /// (<paramref name="ValuePath"/>, the …Path operators).
    /// </summary>
    public sealed record Comparison(JsonPath Variable, ChoiceOperator Operator, JValue? Value, JsonPath? ValuePath) : ChoiceRule;
}

/// <summary>The comparison operators, without their …Path suffix.</summary>
internal enum ChoiceOperator
{
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}
