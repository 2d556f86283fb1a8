using Ingestion.States.Jsonata.Ast;
using Ingestion.States.Jsonata.Functions;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Evaluation;

/// <summary>Binary and unary operators, with jsonata-js's type errors.</summary>
internal sealed partial class Evaluator
{
    private const int MaxRangeSize = 10_000_000;

    private object? EvaluateBinary(Node expr, object? input, Frame env)
    {
        var lhs = Evaluate(expr.Lhs!, input, env);
        var op = expr.Op;
        if (op is "and" or "or")
        {
            var left = JsValues.Truthy(lhs);
            if (op == "and" ? !left : left)
            {
                return left;
            }

            return JsValues.Truthy(Evaluate(expr.Rhs!, input, env));
        }

        var rhs = Evaluate(expr.Rhs!, input, env);
        try
        {
            return op switch
            {
                "+" or "-" or "*" or "/" or "%" => Arithmetic(lhs, rhs, op),
                "=" => lhs is not null && rhs is not null && JsValues.DeepEquals(lhs, rhs),
                "!=" => lhs is not null && rhs is not null && !JsValues.DeepEquals(lhs, rhs),
                "<" or "<=" or ">" or ">=" => Compare(lhs, rhs, op),
                "&" => StringFunctions.Stringify(lhs) + StringFunctions.Stringify(rhs),
                ".." => Range(lhs, rhs),
                "in" => Includes(lhs, rhs),
                _ => throw JsonataErrors.Create("S0204", $"Unknown operator: {op}", expr.Position, op),
            };
        }
        catch (JsonataException e)
        {
            if (!e.HasPosition)
            {
                e.Position = expr.Position;
                e.Token ??= op;
            }

            throw;
        }
    }

    private static double? Arithmetic(object? lhs, object? rhs, string op)
    {
        if (lhs is not null && !JsValues.IsNumeric(lhs))
        {
            throw JsonataErrors.Create("T2001", $"The left side of the {op} operator must evaluate to a number");
        }

        if (rhs is not null && !JsValues.IsNumeric(rhs))
        {
            throw JsonataErrors.Create("T2002", $"The right side of the {op} operator must evaluate to a number");
        }

        if (lhs is null || rhs is null)
        {
            return null;
        }

        var l = (double)lhs;
        var r = (double)rhs;
        return op switch
        {
            "+" => l + r,
            "-" => l - r,
            "*" => l * r,
            "/" => l / r,
            _ => l % r,
        };
    }

    private static bool? Compare(object? lhs, object? rhs, string op)
    {
        var lComparable = lhs is double or string;
        var rComparable = rhs is double or string;
        if (lhs is not null && !lComparable)
        {
            throw JsonataErrors.Create("T2010", $"The expressions either side of operator \"{op}\" must evaluate to numeric or string values");
        }

        if (rhs is not null && !rComparable)
        {
            throw JsonataErrors.Create("T2010", $"The expressions either side of operator \"{op}\" must evaluate to numeric or string values");
        }

        if (lhs is null || rhs is null)
        {
            return null;
        }

        int comparison;
        if (lhs is double l && rhs is double r)
        {
            if (double.IsNaN(l) || double.IsNaN(r))
            {
                return false;
            }

            comparison = l.CompareTo(r);
        }
        else if (lhs is string ls && rhs is string rs)
        {
            comparison = string.CompareOrdinal(ls, rs);
        }
        else
        {
            throw JsonataErrors.Create("T2009", $"The values {Stringify(lhs)} and {Stringify(rhs)} either side of operator \"{op}\" must be of the same data type");
        }

        return op switch
        {
            "<" => comparison < 0,
            "<=" => comparison <= 0,
            ">" => comparison > 0,
            _ => comparison >= 0,
        };
    }

    private static string Stringify(object? value) => value is string s ? $"\"{s}\"" : StringFunctions.Stringify(value);

    private static JsArray? Range(object? lhs, object? rhs)
    {
        if (lhs is not null && (lhs is not double l0 || !JsValues.IsInteger(l0)))
        {
            throw JsonataErrors.Create("T2003", "The left side of the range operator (..) must evaluate to an integer");
        }

        if (rhs is not null && (rhs is not double r0 || !JsValues.IsInteger(r0)))
        {
            throw JsonataErrors.Create("T2004", "The right side of the range operator (..) must evaluate to an integer");
        }

        if (lhs is null || rhs is null)
        {
            return null;
        }

        var from = (double)lhs;
        var to = (double)rhs;
        if (from > to)
        {
            return null;
        }

        var size = to - from + 1;
        if (size > MaxRangeSize)
        {
            throw JsonataErrors.Create("D2014", $"The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {Text.NumberText.Format(size)}.");
        }

        var result = new JsArray((int)size) { IsSequence = true };
        for (var i = from; i <= to; i++)
        {
            result.Add(i);
        }

        return result;
    }

    private static bool Includes(object? lhs, object? rhs)
    {
        if (lhs is null || rhs is null)
        {
            return false;
        }

        if (rhs is not JsArray array)
        {
            return StrictEquals(lhs, rhs);
        }

        foreach (var item in array)
        {
            if (StrictEquals(lhs, item))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>JavaScript's ===: values for scalars, identity for objects and arrays.</summary>
    private static bool StrictEquals(object? a, object? b) => a switch
    {
        double da => b is double db && da == db,
        string sa => b is string sb && string.Equals(sa, sb, StringComparison.Ordinal),
        bool ba => b is bool bb && ba == bb,
        _ => ReferenceEquals(a, b),
    };

    private object? Negate(Node expr, object? input, Frame env)
    {
        var value = Evaluate(expr.Expression!, input, env);
        if (value is null)
        {
            return null;
        }

        if (JsValues.IsNumeric(value))
        {
            return -(double)value;
        }

        throw JsonataErrors.Create("D1002", $"Cannot negate a non-numeric value: {StringFunctions.Stringify(value)}", expr.Position, "-");
    }
}
