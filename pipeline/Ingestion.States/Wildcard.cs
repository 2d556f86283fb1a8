namespace Ingestion.States;

/// <summary>
/// Wildcard matching as Step Functions' <c>StringMatches</c> and EventBridge's <c>wildcard</c> filter both define it:
/// <c>*</c> is any run of characters, <c>\</c> escapes the next character (so <c>\*</c> and <c>\\</c> are literal).
/// </summary>
/// <remarks>
/// Greedy with a backtrack to the last star only: when a literal fails, the last star takes one more character and
/// matching resumes after it. Earlier stars never need to take more (the last one can absorb it), so the time is
/// O(pattern × text) whatever the pattern, where trying every split of every star is exponential.
/// </remarks>
public static class Wildcard
{
    public static bool Matches(string pattern, string text)
    {
        var tokens = Tokenize(pattern);
        int t = 0, p = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < tokens.Length && tokens[p] is { Star: false } literal && literal.Char == text[t])
            {
                p++;
                t++;
            }
            else if (p < tokens.Length && tokens[p].Star)
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < tokens.Length && tokens[p].Star)
        {
            p++;
        }

        return p == tokens.Length;
    }

    private static Token[] Tokenize(string pattern)
    {
        var tokens = new List<Token>(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            tokens.Add(pattern[i] == '\\' && i + 1 < pattern.Length
                ? new Token(pattern[++i], Star: false)
                : new Token(pattern[i], pattern[i] == '*'));
        }

        return [.. tokens];
    }

    private readonly record struct Token(char Char, bool Star);
}
