using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;

namespace Ingestion.Local.Events;

/// <summary>EventBridge wildcard matching: <c>*</c> is any run of characters, <c>\</c> escapes.</summary>
internal static class WildcardText
{
    public static bool Matches(string pattern, string text) => Match(pattern, 0, text, 0);

    // Greedy-with-backtracking over the pattern; patterns are short, so the simple form is enough.
    private static bool Match(string pattern, int p, string text, int t)
    {
        while (p < pattern.Length)
        {
            var c = pattern[p];
            if (c == '*')
            {
                for (var start = t; start <= text.Length; start++)
                {
                    if (Match(pattern, p + 1, text, start))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (c == '\\' && p + 1 < pattern.Length)
            {
                c = pattern[++p];
            }

            if (t >= text.Length || text[t] != c)
            {
                return false;
            }

            p++;
            t++;
        }

        return t == text.Length;
    }
}
