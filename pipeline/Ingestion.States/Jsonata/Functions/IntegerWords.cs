using System.Text;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>Integers as English words (British "and"), roman numerals and letter sequences, both ways.</summary>
internal static class IntegerWords
{
    private static readonly string[] Ones =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    private static readonly (double Value, string Name)[] Scales =
    [
        (1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"),
    ];

    private static readonly (int Value, string Numeral)[] RomanNumerals =
    [
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ];

    public static string Words(double n, bool ordinal)
    {
        var words = Cardinal(n);
        return ordinal ? ToOrdinal(words) : words;
    }

    private static string Cardinal(double n)
    {
        if (n < 20)
        {
            return Ones[(int)n];
        }

        if (n < 100)
        {
            var tens = (int)(n / 10);
            var ones = (int)(n % 10);
            return ones == 0 ? Tens[tens] : $"{Tens[tens]}-{Ones[ones]}";
        }

        if (n < 1000)
        {
            var hundreds = (int)(n / 100);
            var rest = n % 100;
            return rest == 0 ? $"{Ones[hundreds]} hundred" : $"{Ones[hundreds]} hundred and {Cardinal(rest)}";
        }

        foreach (var (value, name) in Scales)
        {
            if (n < value)
            {
                continue;
            }

            var multiple = Math.Floor(n / value);

            // Subtracting rather than taking a remainder keeps huge doubles (1e46) exact multiples.
            var rest = n - (multiple * value);
            var head = $"{Cardinal(multiple)} {name}";
            if (rest <= 0)
            {
                return head;
            }

            return rest < 100 ? $"{head} and {Cardinal(rest)}" : $"{head}, {Cardinal(rest)}";
        }

        return Ones[0];
    }

    private static string ToOrdinal(string words)
    {
        var cut = Math.Max(words.LastIndexOf(' '), words.LastIndexOf('-')) + 1;
        var last = words[cut..];
        var ordinal = last switch
        {
            "one" => "first",
            "two" => "second",
            "three" => "third",
            "five" => "fifth",
            "eight" => "eighth",
            "nine" => "ninth",
            "twelve" => "twelfth",
            _ when last.EndsWith('y') => last[..^1] + "ieth",
            _ => last + "th",
        };
        return words[..cut] + ordinal;
    }

    public static string TitleCase(string words)
    {
        var sb = new StringBuilder(words.Length);
        var start = true;
        for (var i = 0; i < words.Length; i++)
        {
            var c = words[i];
            var isAnd = start && words.AsSpan(i).StartsWith("and ");
            sb.Append(start && !isAnd ? char.ToUpperInvariant(c) : c);
            start = c is ' ' or '-';
        }

        return sb.ToString();
    }

    public static string OrdinalSuffix(double n)
    {
        var lastTwo = n % 100;
        if (lastTwo is >= 11 and <= 13)
        {
            return "th";
        }

        return (n % 10) switch
        {
            1 => "st",
            2 => "nd",
            3 => "rd",
            _ => "th",
        };
    }

    public static string Roman(long n)
    {
        var sb = new StringBuilder();
        foreach (var (value, numeral) in RomanNumerals)
        {
            while (n >= value)
            {
                sb.Append(numeral);
                n -= value;
            }
        }

        return sb.ToString();
    }

    public static double ParseRoman(string text)
    {
        var upper = text.ToUpperInvariant();
        double total = 0;
        var i = 0;
        foreach (var (value, numeral) in RomanNumerals)
        {
            while (upper.AsSpan(i).StartsWith(numeral))
            {
                total += value;
                i += numeral.Length;
            }
        }

        return total;
    }

    public static string Letters(long n, char a)
    {
        var sb = new StringBuilder();
        while (n > 0)
        {
            n--;
            sb.Insert(0, (char)(a + (n % 26)));
            n /= 26;
        }

        return sb.ToString();
    }

    public static double ParseLetters(string text)
    {
        double total = 0;
        foreach (var c in text.ToLowerInvariant())
        {
            total = (total * 26) + (c - 'a' + 1);
        }

        return total;
    }

    public static double? ParseWords(string text)
    {
        var tokens = text.ToLowerInvariant()
            .Split([' ', ',', '-'], StringSplitOptions.RemoveEmptyEntries)
            .Where(t => t != "and")
            .Select(Cardinalize)
            .ToList();
        return tokens.Count == 0 ? 0 : ParseTokens(tokens);
    }

    private static string Cardinalize(string token)
    {
        foreach (var (ordinal, cardinal) in new[] { ("first", "one"), ("second", "two"), ("third", "three"), ("fifth", "five"), ("eighth", "eight"), ("ninth", "nine"), ("twelfth", "twelve") })
        {
            if (token == ordinal)
            {
                return cardinal;
            }
        }

        if (token.EndsWith("ieth", StringComparison.Ordinal))
        {
            return token[..^4] + "y";
        }

        return token.EndsWith("th", StringComparison.Ordinal) && !Ones.Contains(token) ? token[..^2] : token;
    }

    private static double ParseTokens(List<string> tokens)
    {
        if (tokens.Count == 0)
        {
            return 0;
        }

        foreach (var (value, name) in Scales)
        {
            var at = tokens.LastIndexOf(name);
            if (at >= 0)
            {
                var left = at == 0 ? 1 : ParseTokens(tokens[..at]);
                return (left * value) + ParseTokens(tokens[(at + 1)..]);
            }
        }

        var hundred = tokens.IndexOf("hundred");
        if (hundred >= 0)
        {
            return (ParseTokens(tokens[..hundred]) * 100) + ParseTokens(tokens[(hundred + 1)..]);
        }

        double total = 0;
        foreach (var token in tokens)
        {
            var one = Array.IndexOf(Ones, token);
            var ten = Array.IndexOf(Tens, token);
            total += one >= 0 ? one : ten > 1 ? ten * 10 : 0;
        }

        return total;
    }
}
