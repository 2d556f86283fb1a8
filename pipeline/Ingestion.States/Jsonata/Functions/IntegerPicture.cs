using System.Text;
using Ingestion.States.Jsonata.Evaluation;

namespace Ingestion.States.Jsonata.Functions;

internal enum IntegerStyle
{
    Decimal,
    RomanUpper,
    RomanLower,
    LettersUpper,
    LettersLower,
    WordsLower,
    WordsUpper,
    WordsTitle,
}

/// <summary>
/// An XPath format-integer picture (F&amp;O 3.1 §4.6.1): decimal digit patterns with grouping separators,
/// roman numerals, letters or words, optionally ordinal. Used by $formatInteger, $parseInteger and date pictures.
/// </summary>
internal sealed class IntegerPicture
{
    private IntegerPicture(IntegerStyle style, bool ordinal)
    {
        Style = style;
        Ordinal = ordinal;
    }

    public IntegerStyle Style { get; }

    public bool Ordinal { get; }

    /// <summary>The zero of the digit family (e.g. '0', '٠', '０').</summary>
    public int Zero { get; private set; } = '0';

    public int MandatoryDigits { get; set; }

    public int TotalDigits { get; private set; }

    /// <summary>Grouping separators by position counted in digits from the right.</summary>
    public List<(int Position, string Separator)> Separators { get; } = [];

    /// <summary>When grouping is regular, the interval it repeats at.</summary>
    public int RegularInterval { get; private set; }

    public static IntegerPicture Parse(string picture)
    {
        var semicolon = picture.LastIndexOf(';');
        var primary = semicolon >= 0 ? picture[..semicolon] : picture;
        var modifier = semicolon >= 0 ? picture[(semicolon + 1)..] : string.Empty;
        var ordinal = modifier.StartsWith('o');
        var style = primary switch
        {
            "I" => IntegerStyle.RomanUpper,
            "i" => IntegerStyle.RomanLower,
            "A" => IntegerStyle.LettersUpper,
            "a" => IntegerStyle.LettersLower,
            "w" => IntegerStyle.WordsLower,
            "W" => IntegerStyle.WordsUpper,
            "Ww" => IntegerStyle.WordsTitle,
            _ => IntegerStyle.Decimal,
        };
        var result = new IntegerPicture(style, ordinal);
        if (style == IntegerStyle.Decimal)
        {
            result.ParseDecimal(primary);
        }

        return result;
    }

    private void ParseDecimal(string primary)
    {
        var zero = -1;
        var digitsFromRight = 0;
        var separatorsFromLeft = new List<(int DigitsBefore, string Separator)>();
        var codePoints = StringFunctions.CodePoints(primary);
        foreach (var cp in codePoints)
        {
            var isDigit = cp <= 0xFFFF ? char.IsDigit((char)cp) : System.Globalization.CharUnicodeInfo.GetDecimalDigitValue(char.ConvertFromUtf32(cp), 0) >= 0;
            if (isDigit)
            {
                var family = cp - DigitValue(cp);
                if (zero >= 0 && family != zero)
                {
                    throw JsonataErrors.Create("D3131", "In a decimal digit pattern, all digits must be from the same decimal group");
                }

                zero = family;
                MandatoryDigits++;
                TotalDigits++;
            }
            else if (cp == '#')
            {
                TotalDigits++;
            }
            else
            {
                separatorsFromLeft.Add((TotalDigits, char.ConvertFromUtf32(cp)));
            }
        }

        if (zero < 0)
        {
            throw JsonataErrors.Create("D3130", $"Formatting or parsing an integer as a sequence starting with {primary} is not supported by this implementation");
        }

        Zero = zero;
        foreach (var (before, separator) in separatorsFromLeft)
        {
            Separators.Add((TotalDigits - before, separator));
        }

        digitsFromRight = Separators.Count > 0 ? Separators.Min(s => s.Position) : 0;
        if (Separators.Count > 0
            && digitsFromRight > 0
            && Separators.All(s => s.Separator == Separators[0].Separator)
            && Separators.All(s => s.Position % digitsFromRight == 0)
            && Enumerable.Range(1, Separators.Count).All(k => Separators.Any(s => s.Position == k * digitsFromRight)))
        {
            RegularInterval = digitsFromRight;
        }
    }

    private static int DigitValue(int cp) =>
        (int)System.Globalization.CharUnicodeInfo.GetNumericValue(char.ConvertFromUtf32(cp), 0);

    public string Format(double value)
    {
        if (!double.IsFinite(value))
        {
            throw JsonataErrors.Create("D1001", $"Number out of range: {Text.NumberText.Format(value)}");
        }

        var negative = value < 0;
        var n = Math.Floor(Math.Abs(value));
        var text = Style switch
        {
            IntegerStyle.Decimal => FormatDecimal(n),
            IntegerStyle.RomanUpper => IntegerWords.Roman((long)n),
            IntegerStyle.RomanLower => IntegerWords.Roman((long)n).ToLowerInvariant(),
            IntegerStyle.LettersUpper => IntegerWords.Letters((long)n, 'A'),
            IntegerStyle.LettersLower => IntegerWords.Letters((long)n, 'a'),
            IntegerStyle.WordsLower => IntegerWords.Words(n, Ordinal),
            IntegerStyle.WordsUpper => IntegerWords.Words(n, Ordinal).ToUpperInvariant(),
            _ => IntegerWords.TitleCase(IntegerWords.Words(n, Ordinal)),
        };
        return negative ? "-" + text : text;
    }

    private string FormatDecimal(double n)
    {
        var digits = n < 1e21 ? ((decimal)n).ToString(System.Globalization.CultureInfo.InvariantCulture) : Text.NumberText.Format(n);
        digits = digits.PadLeft(MandatoryDigits, '0');
        var sb = new StringBuilder();
        for (var i = 0; i < digits.Length; i++)
        {
            var fromRight = digits.Length - i;
            if (i > 0)
            {
                var separator = SeparatorAt(fromRight);
                if (separator is not null)
                {
                    sb.Append(separator);
                }
            }

            var d = digits[i] - '0';
            sb.Append(char.ConvertFromUtf32(Zero + d));
        }

        var result = sb.ToString();
        return Ordinal ? result + IntegerWords.OrdinalSuffix(n) : result;
    }

    /// <summary>The separator that goes before the digit with <paramref name="fromRight"/> digits at and after it.</summary>
    private string? SeparatorAt(int fromRight)
    {
        var position = fromRight;
        if (RegularInterval > 0)
        {
            return position % RegularInterval == 0 ? Separators[0].Separator : null;
        }

        foreach (var (p, s) in Separators)
        {
            if (p == position)
            {
                return s;
            }
        }

        return null;
    }

    public double? ParseValue(string text)
    {
        switch (Style)
        {
            case IntegerStyle.Decimal:
                var digits = new StringBuilder();
                foreach (var cp in StringFunctions.CodePoints(text))
                {
                    if (cp >= Zero && cp <= Zero + 9)
                    {
                        digits.Append((char)('0' + (cp - Zero)));
                    }
                    else if (cp is >= '0' and <= '9')
                    {
                        digits.Append((char)cp);
                    }
                }

                return digits.Length == 0 ? null : double.Parse(digits.ToString(), System.Globalization.CultureInfo.InvariantCulture);
            case IntegerStyle.RomanUpper or IntegerStyle.RomanLower:
                return IntegerWords.ParseRoman(text);
            case IntegerStyle.LettersUpper or IntegerStyle.LettersLower:
                return IntegerWords.ParseLetters(text);
            default:
                return IntegerWords.ParseWords(text);
        }
    }
}
