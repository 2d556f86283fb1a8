using System.Text;
using System.Text.RegularExpressions;
using Ingestion.States.Jsonata.Evaluation;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>Rewrites a JavaScript regular expression so .NET matches exactly what JavaScript would.</summary>
/// <remarks>
/// .NET's \d and \w match any Unicode digit or letter and its $ also matches before a final newline;
/// JavaScript's match ASCII only and the very end. The ECMAScript option would fix the classes but
/// forbids lookbehind and named groups, which JavaScript allows, so the pattern is rewritten instead.
/// </remarks>
internal static class RegexTranslator
{
    private const string AsciiWordBoundary = "(?:(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]))";
    private const string AsciiNonBoundary = "(?:(?<=[A-Za-z0-9_])(?=[A-Za-z0-9_])|(?<![A-Za-z0-9_])(?![A-Za-z0-9_]))";

    public static Regex Translate(string pattern, string flags, int position)
    {
        var multiline = flags.Contains('m', StringComparison.Ordinal);
        var options = RegexOptions.CultureInvariant;
        if (flags.Contains('i', StringComparison.Ordinal))
        {
            options |= RegexOptions.IgnoreCase;
        }

        if (multiline)
        {
            options |= RegexOptions.Multiline;
        }

        try
        {
            return new Regex(Rewrite(pattern, multiline), options);
        }
        catch (ArgumentException e)
        {
            throw JsonataErrors.Create("S0303", $"Invalid regular expression: {e.Message}", position);
        }
    }

    private static string Rewrite(string pattern, bool multiline)
    {
        var sb = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                switch (next)
                {
                    case 'd':
                        sb.Append(inClass ? "0-9" : "[0-9]");
                        break;
                    case 'D' when !inClass:
                        sb.Append("[^0-9]");
                        break;
                    case 'w':
                        sb.Append(inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]");
                        break;
                    case 'W' when !inClass:
                        sb.Append("[^a-zA-Z0-9_]");
                        break;
                    case '/':
                        sb.Append('/');
                        break;
                    case 'b' when !inClass:
                        sb.Append(AsciiWordBoundary);
                        break;
                    case 'B' when !inClass:
                        sb.Append(AsciiNonBoundary);
                        break;
                    default:
                        sb.Append('\\').Append(next);
                        break;
                }

                continue;
            }

            if (inClass)
            {
                if (c == ']')
                {
                    inClass = false;
                }

                sb.Append(c);
                continue;
            }

            if (c == '[')
            {
                if (pattern.AsSpan(i).StartsWith("[^]"))
                {
                    sb.Append(@"[\s\S]");
                    i += 2;
                    continue;
                }

                if (pattern.AsSpan(i).StartsWith("[]"))
                {
                    sb.Append("(?!)");
                    i += 1;
                    continue;
                }

                inClass = true;
                sb.Append(c);
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    sb.Append('^');
                    i++;
                }

                // A ']' straight after '[' or '[^' is literal in .NET but closes the class in JavaScript; JavaScript never has that case.
                continue;
            }

            if (c == '.')
            {
                // JavaScript's '.' also stops at \r and the Unicode line and paragraph separators.
                sb.Append(@"[^\n\r\u2028\u2029]");
                continue;
            }

            if (c == '$' && !multiline)
            {
                sb.Append(@"(?!.|\n)");
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
