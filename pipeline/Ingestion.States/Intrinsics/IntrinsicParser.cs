using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Ingestion.States.Json;
using Ingestion.States.Paths;

namespace Ingestion.States.Intrinsics;

/// <summary>Parses intrinsic function calls such as <c>States.Format('{} x', $.a)</c>.</summary>
internal static class IntrinsicParser
{
    /// <summary>True when a <c>.$</c> value is an intrinsic call rather than a path.</summary>
    public static bool LooksLikeCall(string text) => text.StartsWith("States.", StringComparison.Ordinal);

    public static bool TryParse(string text, [NotNullWhen(true)] out IntrinsicCall? call, [NotNullWhen(false)] out string? error)
    {
        var position = 0;
        try
        {
            call = ParseCall(text, ref position);
            SkipSpaces(text, ref position);
            if (position != text.Length)
            {
                throw Fail(text, position, "unexpected text after the call");
            }

            error = null;
            return true;
        }
        catch (FormatException e)
        {
            call = null;
            error = e.Message;
            return false;
        }
    }

    private static IntrinsicCall ParseCall(string text, ref int pos)
    {
        var start = pos;
        while (pos < text.Length && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] == '.'))
        {
            pos++;
        }

        var name = text[start..pos];
        if (!IntrinsicFunctions.TryGet(name, out var function))
        {
            throw Fail(text, start, $"unknown intrinsic function '{name}'");
        }

        SkipSpaces(text, ref pos);
        if (pos >= text.Length || text[pos] != '(')
        {
            throw Fail(text, pos, "expected '('");
        }

        pos++;
        var arguments = new List<IntrinsicArgument>();
        SkipSpaces(text, ref pos);
        if (pos < text.Length && text[pos] == ')')
        {
            pos++;
        }
        else
        {
            while (true)
            {
                arguments.Add(ParseArgument(text, ref pos));
                SkipSpaces(text, ref pos);
                if (pos >= text.Length)
                {
                    throw Fail(text, pos, "expected ')'");
                }

                if (text[pos] == ',')
                {
                    pos++;
                    continue;
                }

                if (text[pos] == ')')
                {
                    pos++;
                    break;
                }

                throw Fail(text, pos, "expected ',' or ')'");
            }
        }

        if (arguments.Count < function.MinArguments || arguments.Count > function.MaxArguments)
        {
            var expected = function.MinArguments == function.MaxArguments
                ? function.MinArguments.ToString(CultureInfo.InvariantCulture)
                : function.MaxArguments == int.MaxValue
                    ? $"at least {function.MinArguments}"
                    : $"{function.MinArguments} to {function.MaxArguments}";
            throw Fail(text, start, $"{name} takes {expected} argument(s), got {arguments.Count}");
        }

        return new IntrinsicCall(name, function, [.. arguments]);
    }

    private static IntrinsicArgument ParseArgument(string text, ref int pos)
    {
        SkipSpaces(text, ref pos);
        if (pos >= text.Length)
        {
            throw Fail(text, pos, "expected an argument");
        }

        var c = text[pos];
        if (c == '\'')
        {
            return ParseString(text, ref pos);
        }

        if (c == '$')
        {
            var start = pos;
            var depth = 0;
            var quote = '\0';
            while (pos < text.Length)
            {
                var ch = text[pos];
                if (quote != '\0')
                {
                    if (ch == quote)
                    {
                        quote = '\0';
                    }
                }
                else if (ch is '\'' or '"')
                {
                    quote = ch;
                }
                else if (ch is '[' or '(')
                {
                    depth++;
                }
                else if (ch is ']' or ')')
                {
                    if (depth == 0)
                    {
                        break;
                    }

                    depth--;
                }
                else if (ch == ',' && depth == 0)
                {
                    break;
                }

                pos++;
            }

            var pathText = text[start..pos].TrimEnd();
            if (!JsonPath.TryParse(pathText, out var path, out var error))
            {
                throw new FormatException(error);
            }

            return new IntrinsicArgument.Path(path);
        }

        if (text.AsSpan(pos).StartsWith("States.", StringComparison.Ordinal))
        {
            return new IntrinsicArgument.Call(ParseCall(text, ref pos));
        }

        var begin = pos;
        while (pos < text.Length && text[pos] is not ',' and not ')' and not ' ')
        {
            pos++;
        }

        var word = text[begin..pos];
        JValue value = word switch
        {
            "true" => JValue.True,
            "false" => JValue.False,
            "null" => JValue.Null,
            _ when long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JNumber.Of(integer),
            _ when double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JNumber.FromText(number, word),
            _ => throw Fail(text, begin, $"'{word}' is not a string, number, boolean, null, path or intrinsic call"),
        };
        return new IntrinsicArgument.Literal(value, null);
    }

    private static IntrinsicArgument.Literal ParseString(string text, ref int pos)
    {
        var start = pos;
        pos++;
        var value = new StringBuilder();
        var rawStart = pos;
        while (pos < text.Length && text[pos] != '\'')
        {
            if (text[pos] == '\\')
            {
                if (pos + 1 >= text.Length)
                {
                    break;
                }

                var next = text[pos + 1];
                if (next is not ('\'' or '\\' or '{' or '}'))
                {
                    throw Fail(text, pos, $"'\\{next}' is not an escape sequence (use \\', \\\\, \\{{ or \\}})");
                }

                value.Append(next);
                pos += 2;
                continue;
            }

            value.Append(text[pos]);
            pos++;
        }

        if (pos >= text.Length)
        {
            throw Fail(text, start, "unterminated string");
        }

        var raw = text[rawStart..pos];
        pos++;
        return new IntrinsicArgument.Literal(new JString(value.ToString()), raw);
    }

    private static void SkipSpaces(string text, ref int pos)
    {
        while (pos < text.Length && text[pos] == ' ')
        {
            pos++;
        }
    }

    private static FormatException Fail(string text, int position, string message) =>
        new($"Invalid intrinsic function call '{text}' at position {position}: {message}.");
}
