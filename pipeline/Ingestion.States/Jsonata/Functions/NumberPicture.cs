using Ingestion.States.Jsonata.Evaluation;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>$formatNumber: XPath F&amp;O 3.1 format-number pictures (§4.7), with the decimal format given as options.</summary>
internal static partial class NumberPicture
{
    public static object? Format(object?[] a)
    {
        if (a[0] is not double value)
        {
            return null;
        }

        var format = DecimalFormat.From(a.Length > 2 ? a[2] as JsObject : null);
        var picture = a[1] as string
            ?? throw JsonataErrors.Create("T0410", "Argument 2 of function formatNumber does not match function signature");
        var subPictures = SplitSubPictures(picture, format.PatternSeparator);
        var negative = value < 0;
        var parts = SubPicture.Analyse(negative && subPictures.Count > 1 ? subPictures[1] : subPictures[0], format);
        if (subPictures.Count > 1)
        {
            // Both sub-pictures must be valid, whichever is used.
            SubPicture.Analyse(negative ? subPictures[0] : subPictures[1], format);
        }

        var body = parts.FormatMagnitude(Math.Abs(value));
        var prefix = parts.Prefix;
        if (negative && subPictures.Count == 1)
        {
            prefix = format.MinusSign + prefix;
        }

        return prefix + body + parts.Suffix;
    }

    private static List<string> SplitSubPictures(string picture, string separator)
    {
        var parts = picture.Split(separator);
        if (parts.Length > 2)
        {
            throw JsonataErrors.Create("D3080", "The format picture string must not contain more than one instance of the pattern-separator character");
        }

        return [.. parts];
    }

    /// <summary>The decimal format: the characters a picture is read with, from the options argument.</summary>
    internal sealed record DecimalFormat(
        string DecimalSeparator,
        string GroupingSeparator,
        string ExponentSeparator,
        string MinusSign,
        string Percent,
        string PerMille,
        int ZeroDigit,
        string Digit,
        string PatternSeparator)
    {
        public static DecimalFormat From(JsObject? options)
        {
            string Get(string key, string fallback) => options is not null && options.TryGetValue(key, out var v) && v is string s ? s : fallback;
            var zero = Get("zero-digit", "0");
            if (zero.Length == 0)
            {
                zero = "0";
            }

            return new DecimalFormat(
                Get("decimal-separator", "."),
                Get("grouping-separator", ","),
                Get("exponent-separator", "e"),
                Get("minus-sign", "-"),
                Get("percent", "%"),
                Get("per-mille", "\u2030"),
                char.ConvertToUtf32(zero, 0),
                Get("digit", "#"),
                Get("pattern-separator", ";"));
        }

        public string DigitText(int d) => char.ConvertFromUtf32(ZeroDigit + d);
    }
}
