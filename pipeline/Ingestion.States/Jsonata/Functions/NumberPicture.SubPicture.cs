using System.Globalization;
using System.Text;
using Ingestion.States.Jsonata.Evaluation;

namespace Ingestion.States.Jsonata.Functions;

internal static partial class NumberPicture
{
    private enum Kind
    {
        Passive,
        Digit,
        Optional,
        Decimal,
        Grouping,
        Exponent,
        Percent,
        PerMille,
    }

    /// <summary>One analysed sub-picture (F&amp;O §4.7.4): prefix, mantissa and exponent shape, suffix.</summary>
    private sealed partial class SubPicture
    {
        private readonly DecimalFormat _format;

        private SubPicture(DecimalFormat format) => _format = format;

        public string Prefix { get; private set; } = string.Empty;

        public string Suffix { get; private set; } = string.Empty;

        private List<int> IntegerGroups { get; } = [];

        private List<int> FractionGroups { get; } = [];

        private int RegularGroup { get; set; }

        private int MinInteger { get; set; }

        private bool IntegerPartPresent { get; set; }

        private int MinFraction { get; set; }

        private int MaxFraction { get; set; }

        private int MinExponent { get; set; }

        private bool HasExponent { get; set; }

        private double Scale { get; set; } = 1;

        public static SubPicture Analyse(string picture, DecimalFormat format)
        {
            var tokens = Tokenize(picture, format);
            var result = new SubPicture(format);
            var first = tokens.FindIndex(t => t.Kind is Kind.Digit or Kind.Optional or Kind.Decimal or Kind.Grouping);
            if (first < 0)
            {
                throw JsonataErrors.Create("D3085", "The mantissa part of a sub-picture must contain at least one character that is either an optional digit character or a member of the decimal digit family");
            }

            var end = first;
            while (end < tokens.Count && tokens[end].Kind is Kind.Digit or Kind.Optional or Kind.Decimal or Kind.Grouping)
            {
                end++;
            }

            var mantissa = tokens[first..end];
            List<(Kind Kind, string Text)> exponent = [];
            if (end + 1 < tokens.Count && tokens[end].Kind == Kind.Exponent && tokens[end + 1].Kind == Kind.Digit)
            {
                result.HasExponent = true;
                var e = end + 1;
                while (e < tokens.Count && tokens[e].Kind is not (Kind.Passive or Kind.Percent or Kind.PerMille or Kind.Exponent))
                {
                    e++;
                }

                exponent = tokens[(end + 1)..e];
                end = e;
            }

            var prefix = tokens[..first];
            var suffix = tokens[end..];
            result.Validate(tokens, prefix, mantissa, exponent, suffix);
            result.Prefix = string.Concat(prefix.Select(t => t.Text));
            result.Suffix = string.Concat(suffix.Select(t => t.Text));
            result.Shape(mantissa, exponent);
            if (tokens.Any(t => t.Kind == Kind.Percent))
            {
                result.Scale = 100;
            }
            else if (tokens.Any(t => t.Kind == Kind.PerMille))
            {
                result.Scale = 1000;
            }

            return result;
        }

        private static List<(Kind Kind, string Text)> Tokenize(string picture, DecimalFormat format)
        {
            var tokens = new List<(Kind, string)>();
            var i = 0;
            while (i < picture.Length)
            {
                var span = picture.AsSpan(i);
                (Kind Kind, string Text) token;
                if (span.StartsWith(format.PerMille, StringComparison.Ordinal))
                {
                    token = (Kind.PerMille, format.PerMille);
                }
                else if (span.StartsWith(format.Percent, StringComparison.Ordinal))
                {
                    token = (Kind.Percent, format.Percent);
                }
                else if (span.StartsWith(format.DecimalSeparator, StringComparison.Ordinal))
                {
                    token = (Kind.Decimal, format.DecimalSeparator);
                }
                else if (span.StartsWith(format.GroupingSeparator, StringComparison.Ordinal))
                {
                    token = (Kind.Grouping, format.GroupingSeparator);
                }
                else if (span.StartsWith(format.Digit, StringComparison.Ordinal))
                {
                    token = (Kind.Optional, format.Digit);
                }
                else if (span.StartsWith(format.ExponentSeparator, StringComparison.Ordinal))
                {
                    token = (Kind.Exponent, format.ExponentSeparator);
                }
                else
                {
                    var cp = char.ConvertToUtf32(picture, i);
                    var text = char.ConvertFromUtf32(cp);
                    token = (cp >= format.ZeroDigit && cp <= format.ZeroDigit + 9 ? Kind.Digit : Kind.Passive, text);
                }

                tokens.Add(token);
                i += token.Text.Length;
            }

            return tokens;
        }

        private void Shape(List<(Kind Kind, string Text)> mantissa, List<(Kind Kind, string Text)> exponent)
        {
            var decimalAt = mantissa.FindIndex(t => t.Kind == Kind.Decimal);
            var integer = decimalAt >= 0 ? mantissa[..decimalAt] : mantissa;
            var fraction = decimalAt >= 0 ? mantissa[(decimalAt + 1)..] : [];
            IntegerPartPresent = integer.Any(t => t.Kind is Kind.Digit or Kind.Optional);
            MinInteger = integer.Count(t => t.Kind == Kind.Digit);
            var integerDigits = integer.Count(t => t.Kind is Kind.Digit or Kind.Optional);
            var digitsToRight = 0;
            for (var i = integer.Count - 1; i >= 0; i--)
            {
                if (integer[i].Kind == Kind.Grouping)
                {
                    IntegerGroups.Add(digitsToRight);
                }
                else
                {
                    digitsToRight++;
                }
            }

            if (IntegerGroups.Count > 0)
            {
                var g = IntegerGroups.Min();
                if (g > 0 && IntegerGroups.All(p => p % g == 0) && Enumerable.Range(1, Math.Max(0, (integerDigits - 1) / g)).All(k => IntegerGroups.Contains(k * g)))
                {
                    RegularGroup = g;
                }
            }

            var digitsToLeft = 0;
            foreach (var t in fraction)
            {
                if (t.Kind == Kind.Grouping)
                {
                    FractionGroups.Add(digitsToLeft);
                }
                else
                {
                    digitsToLeft++;
                }
            }

            MinFraction = fraction.Count(t => t.Kind == Kind.Digit);
            MaxFraction = fraction.Count(t => t.Kind is Kind.Digit or Kind.Optional);
            MinExponent = exponent.Count;
            if (MinInteger == 0 && MaxFraction == 0)
            {
                if (HasExponent)
                {
                    MinFraction = 1;
                    MaxFraction = 1;
                }
                else
                {
                    MinInteger = 1;
                }
            }
        }

        public string FormatMagnitude(double value)
        {
            value *= Scale;
            var exponent = 0;
            if (HasExponent && value != 0)
            {
                // Scale the mantissa so its integer part has as many digits as the picture's mandatory integer digits.
                var digits = MinInteger;
                exponent = (int)Math.Floor(Math.Log10(value)) + 1 - digits;
                var mantissa = value / Math.Pow(10, exponent);
                if (Round(mantissa) >= (decimal)Math.Pow(10, Math.Max(digits, 0)))
                {
                    exponent++;
                }

                value /= Math.Pow(10, exponent);
            }

            var text = RoundedText(value);
            var point = text.IndexOf('.', StringComparison.Ordinal);
            var integerDigits = point >= 0 ? text[..point] : text;
            var fractionDigits = point >= 0 ? text[(point + 1)..] : string.Empty;
            if (integerDigits == "0")
            {
                integerDigits = string.Empty;
            }

            fractionDigits = fractionDigits.PadRight(MinFraction, '0');
            while (fractionDigits.Length > MinFraction && fractionDigits.EndsWith('0'))
            {
                fractionDigits = fractionDigits[..^1];
            }

            integerDigits = integerDigits.PadLeft(MinInteger, '0');
            if (integerDigits.Length == 0 && IntegerPartPresent && fractionDigits.Length == 0)
            {
                integerDigits = "0";
            }
            else if (integerDigits.Length == 0 && IntegerPartPresent && HasExponent)
            {
                integerDigits = "0";
            }

            var sb = new StringBuilder();
            sb.Append(GroupInteger(integerDigits));
            if (fractionDigits.Length > 0)
            {
                sb.Append(_format.DecimalSeparator).Append(GroupFraction(fractionDigits));
            }

            if (HasExponent)
            {
                sb.Append(_format.ExponentSeparator);
                if (exponent < 0)
                {
                    sb.Append(_format.MinusSign);
                }

                sb.Append(Digits(Math.Abs(exponent).ToString(CultureInfo.InvariantCulture).PadLeft(MinExponent, '0')));
            }

            return sb.ToString();
        }

        /// <summary>The value rounded to the picture's fraction digits, as plain decimal text.</summary>
        private string RoundedText(double value)
        {
            // Beyond decimal's range every double is an integer: its exact digits are all there is to print.
            return Math.Abs(value) < 1e27
                ? Round(value).ToString(CultureInfo.InvariantCulture)
                : new System.Numerics.BigInteger(value).ToString(CultureInfo.InvariantCulture);
        }

        private decimal Round(double value)
        {
            var d = decimal.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
            return Math.Round(d, MaxFraction, MidpointRounding.ToEven);
        }

        private string GroupInteger(string digits)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < digits.Length; i++)
            {
                var fromRight = digits.Length - i;
                if (i > 0 && (RegularGroup > 0 ? fromRight % RegularGroup == 0 : IntegerGroups.Contains(fromRight)))
                {
                    sb.Append(_format.GroupingSeparator);
                }

                sb.Append(_format.DigitText(digits[i] - '0'));
            }

            return sb.ToString();
        }

        private string GroupFraction(string digits)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < digits.Length; i++)
            {
                if (i > 0 && FractionGroups.Contains(i))
                {
                    sb.Append(_format.GroupingSeparator);
                }

                sb.Append(_format.DigitText(digits[i] - '0'));
            }

            return sb.ToString();
        }

        private string Digits(string digits) => string.Concat(digits.Select(c => _format.DigitText(c - '0')));
    }
}
