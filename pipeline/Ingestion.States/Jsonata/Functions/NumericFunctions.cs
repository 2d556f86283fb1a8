using System.Globalization;
using System.Text.RegularExpressions;
using Ingestion.States.Jsonata.Evaluation;
using Ingestion.States.Jsonata.Text;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>Numeric and aggregation built-ins.</summary>
internal static partial class NumericFunctions
{
    public static object? Number(object?[] a)
    {
        switch (a[0])
        {
            case null:
                return null;
            case double d:
                return d;
            case bool b:
                return b ? 1.0 : 0.0;
            case string s when DecimalNumber().IsMatch(s):
                var parsed = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (double.IsFinite(parsed))
                {
                    return parsed;
                }

                break;
            case string s when PrefixedNumber().IsMatch(s):
                var radix = char.ToLowerInvariant(s[1]) switch { 'x' => 16, 'o' => 8, _ => 2 };

                // Accumulated as a double: JavaScript's Number("0x…") keeps magnitude, not precision, past 2^53.
                var total = 0.0;
                foreach (var digit in s.AsSpan(2))
                {
                    total = (total * radix) + Convert.ToInt32(digit.ToString(), 16);
                }

                return total;
        }

        throw JsonataErrors.Create("D3030", $"Unable to cast value to a number: {StringFunctions.Stringify(a[0])}");
    }

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$")]
    private static partial Regex DecimalNumber();

    [GeneratedRegex(@"^(0[xX][0-9A-Fa-f]+)$|^(0[oO][0-7]+)$|^(0[bB][0-1]+)$")]
    private static partial Regex PrefixedNumber();

    public static object? Abs(object?[] a) => a[0] is double d ? Math.Abs(d) : null;

    public static object? Floor(object?[] a) => a[0] is double d ? Math.Floor(d) : null;

    public static object? Ceil(object?[] a) => a[0] is double d ? Math.Ceiling(d) : null;

    public static object? Sqrt(object?[] a)
    {
        if (a[0] is not double d)
        {
            return null;
        }

        if (d < 0)
        {
            throw JsonataErrors.Create("D3060", $"The sqrt function cannot be applied to a negative number: {NumberText.Format(d)}");
        }

        return Math.Sqrt(d);
    }

    public static object? Power(object?[] a)
    {
        if (a[0] is not double b)
        {
            return null;
        }

        var exponent = a[1] as double? ?? double.NaN;
        var result = Math.Pow(b, exponent);
        if (!double.IsFinite(result))
        {
            throw JsonataErrors.Create("D3061", $"The power function has resulted in a value that cannot be represented as a JSON number: base={NumberText.Format(b)}, exponent={NumberText.Format(exponent)}");
        }

        return result;
    }

    /// <summary>Round half to even, at a decimal precision, shifting the decimal point in text as jsonata-js does to avoid binary drift.</summary>
    public static object? Round(object?[] a)
    {
        if (a[0] is not double value)
        {
            return null;
        }

        if (!double.IsFinite(value))
        {
            return value;
        }

        var precision = a.Length > 1 && a[1] is double p ? (int)p : 0;
        if (precision != 0)
        {
            value = Shift(value, precision);
        }

        var result = Math.Floor(value + 0.5);
        var diff = result - value;
        if (Math.Abs(diff) == 0.5 && Math.Abs(result % 2) == 1)
        {
            result -= 1;
        }

        if (precision != 0)
        {
            result = Shift(result, -precision);
        }

        return result == 0 ? 0.0 : result;
    }

    private static double Shift(double value, int places)
    {
        var text = NumberText.Format(value);
        var e = text.IndexOf('e', StringComparison.Ordinal);
        var mantissa = e >= 0 ? text[..e] : text;
        var exponent = e >= 0 ? int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        return double.Parse($"{mantissa}e{exponent + places}", NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    public static object? Sum(object?[] a)
    {
        if (a[0] is not JsArray array)
        {
            return null;
        }

        var total = 0.0;
        foreach (var item in array)
        {
            total += (double)item!;
        }

        return total;
    }

    public static object? Max(object?[] a) => Extreme(a[0], (x, y) => x > y);

    public static object? Min(object?[] a) => Extreme(a[0], (x, y) => x < y);

    private static double? Extreme(object? arg, Func<double, double, bool> better)
    {
        if (arg is not JsArray { Count: > 0 } array)
        {
            return null;
        }

        var result = (double)array[0]!;
        foreach (var item in array)
        {
            var d = (double)item!;
            if (better(d, result))
            {
                result = d;
            }
        }

        return result;
    }

    public static object? Average(object?[] a)
    {
        if (a[0] is not JsArray { Count: > 0 } array)
        {
            return null;
        }

        return (double)Sum(a)! / array.Count;
    }

    public static object? Random(object?[] a) => System.Random.Shared.NextDouble();
}
