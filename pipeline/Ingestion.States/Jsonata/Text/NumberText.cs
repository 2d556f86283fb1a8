using System.Globalization;
using System.Text;

namespace Ingestion.States.Jsonata.Text;

/// <summary>Numbers printed as JavaScript's Number.prototype.toString prints them.</summary>
internal static class NumberText
{
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return "0";
        }

        if (Math.Abs(value) < 1e15 && value == Math.Floor(value))
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }

        // "R" yields the shortest digits that round-trip, which is what JavaScript prints.
        return FromShortest(value.ToString("R", CultureInfo.InvariantCulture));
    }

    private static string FromShortest(string text)
    {
        var negative = text.StartsWith('-');
        if (negative)
        {
            text = text[1..];
        }

        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.');
        string digits;
        int pointPosition;
        if (dot >= 0)
        {
            digits = text.Remove(dot, 1);
            pointPosition = dot;
        }
        else
        {
            digits = text;
            pointPosition = text.Length;
        }

        var leading = 0;
        while (leading < digits.Length - 1 && digits[leading] == '0')
        {
            leading++;
        }

        digits = digits[leading..].TrimEnd('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        // JavaScript's n: the value is 0.d1d2…dk × 10^n.
        var n = pointPosition - leading + exponent;
        var k = digits.Length;
        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (n > 0 && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (n > -6 && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            var exp = n - 1;
            sb.Append(digits[0]);
            if (k > 1)
            {
                sb.Append('.').Append(digits, 1, k - 1);
            }

            sb.Append('e').Append(exp >= 0 ? '+' : '-').Append(Math.Abs(exp));
        }

        return sb.ToString();
    }

    /// <summary>JavaScript's Number(x.toPrecision(15)): the rounding jsonata applies before printing numbers in $string.</summary>
    public static double ToPrecision15(double value) =>
        double.Parse(value.ToString("E14", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
