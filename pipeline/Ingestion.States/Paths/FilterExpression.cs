using Ingestion.States.Json;

namespace Ingestion.States.Paths;

/// <summary>The expression inside <c>[?( … )]</c>.</summary>
internal abstract record FilterExpression
{
    private FilterExpression()
    {
    }

    public abstract bool Matches(JValue current, JValue root);

    /// <summary><c>@.x</c> alone: the path exists (Jayway's existence check).</summary>
    public sealed record Exists(FilterOperand Operand) : FilterExpression
    {
        public override bool Matches(JValue current, JValue root) => Operand.TryResolve(current, root, out _);
    }

    public sealed record Not(FilterExpression Inner) : FilterExpression
    {
        public override bool Matches(JValue current, JValue root) => !Inner.Matches(current, root);
    }

    public sealed record And(FilterExpression Left, FilterExpression Right) : FilterExpression
    {
        public override bool Matches(JValue current, JValue root) => Left.Matches(current, root) && Right.Matches(current, root);
    }

    public sealed record Or(FilterExpression Left, FilterExpression Right) : FilterExpression
    {
        public override bool Matches(JValue current, JValue root) => Left.Matches(current, root) || Right.Matches(current, root);
    }

    public sealed record Comparison(FilterOperand Left, string Operator, FilterOperand Right) : FilterExpression
    {
        public override bool Matches(JValue current, JValue root)
        {
            if (!Left.TryResolve(current, root, out var left) || !Right.TryResolve(current, root, out var right))
            {
                // A missing member compares unequal to everything, so only != holds.
                return Operator == "!=";
            }

            return Operator switch
            {
                "==" => left.Equals(right),
                "!=" => !left.Equals(right),
                _ => Order(left, right) is { } order && Operator switch
                {
                    "<" => order < 0,
                    "<=" => order <= 0,
                    ">" => order > 0,
                    ">=" => order >= 0,
                    _ => false,
                },
            };
        }

        private static int? Order(JValue left, JValue right) => (left, right) switch
        {
            (JNumber a, JNumber b) => a.Value.CompareTo(b.Value),
            (JString a, JString b) => string.CompareOrdinal(a.Value, b.Value),
            _ => null,
        };
    }
}

/// <summary>A side of a filter comparison: a literal, or a path from <c>@</c> or <c>$</c>.</summary>
internal abstract record FilterOperand
{
    private FilterOperand()
    {
    }

    public abstract bool TryResolve(JValue current, JValue root, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JValue? value);

    public sealed record Literal(JValue Value) : FilterOperand
    {
        public override bool TryResolve(JValue current, JValue root, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JValue? value)
        {
            value = Value;
            return true;
        }
    }

    public sealed record Relative(bool FromRoot, PathSegment[] Segments) : FilterOperand
    {
        public override bool TryResolve(JValue current, JValue root, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JValue? value) =>
            PathEvaluator.TrySelectSingle(FromRoot ? root : current, Segments, out value);
    }
}
