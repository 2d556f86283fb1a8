using Ingestion.States.Jsonata.Evaluation;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>$formatBase, $formatInteger and $parseInteger.</summary>
internal static partial class IntegerFormats
{
    public static object? FormatBase(object?[] a)
    {
        if (a[0] is not double value)
        {
            return null;
        }

        value = (double)NumericFunctions.Round([value])!;
        var radix = a.Length > 1 && a[1] is double r ? (int)r : 10;
        if (radix is < 2 or > 36)
        {
            throw JsonataErrors.Create("D3100", $"The radix of the formatBase function must be between 2 and 36.  It was given {radix}");
        }

        var negative = value < 0;
        var n = (long)Math.Abs(value);
        if (n == 0)
        {
            return "0";
        }

        var chars = new List<char>();
        while (n > 0)
        {
            var digit = (int)(n % radix);
            chars.Add((char)(digit < 10 ? '0' + digit : 'a' + digit - 10));
            n /= radix;
        }

        chars.Reverse();
        return (negative ? "-" : string.Empty) + new string([.. chars]);
    }
}
