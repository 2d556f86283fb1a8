using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Ingestion.States.Json;

namespace Ingestion.States.Paths;

/// <summary>Parses AWS Step Functions' JSONPath dialect (Jayway's syntax) into segments.</summary>
internal ref struct PathParser
{
    private readonly string _text;
    private int _pos;

    private PathParser(string text)
    {
        _text = text;
        _pos = 0;
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out JsonPath? path, [NotNullWhen(false)] out string? error)
    {
        path = null;
        var parser = new PathParser(text);
        try
        {
            var isContext = parser.ParseRoot();
            var variable = isContext ? null : parser.ParseVariable();
            var segments = parser.ParseSegments(stopAt: null);
            if (parser._pos != text.Length)
            {
                throw parser.Fail("unexpected character");
            }

            path = new JsonPath(text, isContext, segments, variable);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>Parses a path embedded in a filter, stopping before an operator or closing parenthesis.</summary>
    internal static PathSegment[] ParseEmbedded(string text, ref int position)
    {
        var parser = new PathParser(text) { _pos = position };
        var segments = parser.ParseSegments(stopAt: " =!<>&|)");
        position = parser._pos;
        return segments;
    }

    private bool ParseRoot()
    {
        if (_pos >= _text.Length || _text[_pos] != '$')
        {
            throw Fail("a path must start with '$'");
        }

        _pos++;
        if (_pos < _text.Length && _text[_pos] == '$')
        {
            _pos++;
            return true;
        }

        return false;
    }

    /// <summary><c>$name</c>: a workflow variable is the path's root instead of the input.</summary>
    private string? ParseVariable()
    {
        if (_pos >= _text.Length || !Variables.VariableNames.IsStart(_text[_pos]))
        {
            return null;
        }

        var start = _pos;
        while (_pos < _text.Length && Variables.VariableNames.IsPart(_text[_pos]))
        {
            _pos++;
        }

        return _text[start.._pos];
    }

    private PathSegment[] ParseSegments(string? stopAt)
    {
        var segments = new List<PathSegment>();
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (stopAt is not null && stopAt.Contains(c, StringComparison.Ordinal))
            {
                break;
            }

            if (c == '.')
            {
                if (Peek(1) == '.')
                {
                    _pos += 2;
                    segments.Add(new PathSegment.Descendants(ParseAfterDescendant(stopAt)));
                    continue;
                }

                _pos++;
                segments.Add(ParseDotted(stopAt));
            }
            else if (c == '[')
            {
                segments.Add(ParseBracket());
            }
            else
            {
                throw Fail("expected '.' or '['");
            }
        }

        return [.. segments];
    }

    private PathSegment ParseAfterDescendant(string? stopAt)
    {
        if (_pos < _text.Length && _text[_pos] == '[')
        {
            return ParseBracket();
        }

        return ParseDotted(stopAt);
    }

    private PathSegment ParseDotted(string? stopAt)
    {
        if (_pos < _text.Length && _text[_pos] == '*')
        {
            _pos++;
            return new PathSegment.Wildcard();
        }

        var start = _pos;
        while (_pos < _text.Length && _text[_pos] is not '.' and not '[' && (stopAt is null || !stopAt.Contains(_text[_pos], StringComparison.Ordinal)))
        {
            _pos++;
        }

        if (_pos == start)
        {
            throw Fail("expected a member name");
        }

        var name = _text[start.._pos];
        if (name.AsSpan().ContainsAny(" \t\n\r"))
        {
            throw Fail($"the member name '{name}' contains whitespace; use ['{name}']");
        }

        return new PathSegment.Child(name);
    }

    private PathSegment ParseBracket()
    {
        _pos++; // '['
        SkipSpaces();
        PathSegment segment;
        var c = Current();
        if (c == '*')
        {
            _pos++;
            segment = new PathSegment.Wildcard();
        }
        else if (c == '?')
        {
            _pos++;
            SkipSpaces();
            Expect('(');
            var expression = FilterParser.Parse(_text, ref _pos);
            SkipSpaces();
            Expect(')');
            segment = new PathSegment.Filter(expression);
        }
        else if (c is '\'' or '"')
        {
            var names = new List<PathSegment>();
            do
            {
                SkipSpaces();
                names.Add(new PathSegment.Child(ReadQuoted()));
                SkipSpaces();
            }
            while (TryConsume(','));
            segment = names.Count == 1 ? names[0] : new PathSegment.Union([.. names]);
        }
        else
        {
            segment = ParseIndexOrSlice();
        }

        SkipSpaces();
        Expect(']');
        return segment;
    }

    private PathSegment ParseIndexOrSlice()
    {
        var first = TryReadInt();
        SkipSpaces();
        if (Current() == ':')
        {
            _pos++;
            SkipSpaces();
            var end = TryReadInt();
            SkipSpaces();
            int? step = null;
            if (TryConsume(':'))
            {
                SkipSpaces();
                step = TryReadInt();
                if (step == 0)
                {
                    throw Fail("a slice step cannot be 0");
                }
            }

            return new PathSegment.Slice(first, end, step);
        }

        if (first is null)
        {
            throw Fail("expected an index, a slice, '*', a quoted name or a filter");
        }

        if (Current() != ',')
        {
            return new PathSegment.Index(first.Value);
        }

        var parts = new List<PathSegment> { new PathSegment.Index(first.Value) };
        while (TryConsume(','))
        {
            SkipSpaces();
            parts.Add(new PathSegment.Index(TryReadInt() ?? throw Fail("expected an index")));
            SkipSpaces();
        }

        return new PathSegment.Union([.. parts]);
    }

    private int? TryReadInt()
    {
        var start = _pos;
        if (Current() == '-')
        {
            _pos++;
        }

        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
        {
            _pos++;
        }

        if (_pos == start || (_pos == start + 1 && _text[start] == '-'))
        {
            _pos = start;
            return null;
        }

        return int.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Fail("index out of range");
    }

    private string ReadQuoted()
    {
        var quote = Current();
        if (quote is not '\'' and not '"')
        {
            throw Fail("expected a quoted name");
        }

        _pos++;
        var builder = new System.Text.StringBuilder();
        while (_pos < _text.Length && _text[_pos] != quote)
        {
            if (_text[_pos] == '\\' && _pos + 1 < _text.Length)
            {
                _pos++;
            }

            builder.Append(_text[_pos]);
            _pos++;
        }

        Expect(quote);
        return builder.ToString();
    }

    internal readonly FormatException Fail(string message) =>
        new($"Invalid JSONPath '{_text}' at position {_pos}: {message}.");

    private readonly char Current() => _pos < _text.Length ? _text[_pos] : '\0';

    private readonly char Peek(int offset) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private void SkipSpaces()
    {
        while (_pos < _text.Length && _text[_pos] == ' ')
        {
            _pos++;
        }
    }

    private bool TryConsume(char c)
    {
        if (Current() == c)
        {
            _pos++;
            return true;
        }

        return false;
    }

    private void Expect(char c)
    {
        if (!TryConsume(c))
        {
            throw Fail($"expected '{c}'");
        }
    }

    /// <summary>Parses filter expressions: comparisons, existence, !, &amp;&amp;, || and parentheses.</summary>
    private static class FilterParser
    {
        public static FilterExpression Parse(string text, ref int pos) => ParseOr(text, ref pos);

        private static FilterExpression ParseOr(string text, ref int pos)
        {
            var left = ParseAnd(text, ref pos);
            while (TryOperator(text, ref pos, "||"))
            {
                left = new FilterExpression.Or(left, ParseAnd(text, ref pos));
            }

            return left;
        }

        private static FilterExpression ParseAnd(string text, ref int pos)
        {
            var left = ParseUnary(text, ref pos);
            while (TryOperator(text, ref pos, "&&"))
            {
                left = new FilterExpression.And(left, ParseUnary(text, ref pos));
            }

            return left;
        }

        private static FilterExpression ParseUnary(string text, ref int pos)
        {
            Skip(text, ref pos);
            if (pos < text.Length && text[pos] == '!' && (pos + 1 >= text.Length || text[pos + 1] != '='))
            {
                pos++;
                return new FilterExpression.Not(ParseUnary(text, ref pos));
            }

            if (pos < text.Length && text[pos] == '(')
            {
                pos++;
                var inner = ParseOr(text, ref pos);
                Skip(text, ref pos);
                if (pos >= text.Length || text[pos] != ')')
                {
                    throw new FormatException($"Invalid JSONPath '{text}' at position {pos}: expected ')'.");
                }

                pos++;
                return inner;
            }

            var left = ParseOperand(text, ref pos);
            Skip(text, ref pos);
            foreach (var op in (ReadOnlySpan<string>)["==", "!=", "<=", ">=", "<", ">"])
            {
                if (TryOperator(text, ref pos, op))
                {
                    var right = ParseOperand(text, ref pos);
                    return new FilterExpression.Comparison(left, op, right);
                }
            }

            return left is FilterOperand.Relative
                ? new FilterExpression.Exists(left)
                : throw new FormatException($"Invalid JSONPath '{text}' at position {pos}: a filter needs a comparison or a path.");
        }

        private static FilterOperand ParseOperand(string text, ref int pos)
        {
            Skip(text, ref pos);
            if (pos >= text.Length)
            {
                throw new FormatException($"Invalid JSONPath '{text}': the filter ends early.");
            }

            var c = text[pos];
            if (c is '@' or '$')
            {
                pos++;
                var segments = ParseEmbedded(text, ref pos);
                return new FilterOperand.Relative(c == '$', segments);
            }

            if (c is '\'' or '"')
            {
                var start = ++pos;
                var builder = new System.Text.StringBuilder();
                while (pos < text.Length && text[pos] != c)
                {
                    if (text[pos] == '\\' && pos + 1 < text.Length)
                    {
                        pos++;
                    }

                    builder.Append(text[pos++]);
                }

                if (pos >= text.Length)
                {
                    throw new FormatException($"Invalid JSONPath '{text}' at position {start}: unterminated string.");
                }

                pos++;
                return new FilterOperand.Literal(new JString(builder.ToString()));
            }

            var begin = pos;
            while (pos < text.Length && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] is '-' or '+' or '.'))
            {
                pos++;
            }

            var word = text[begin..pos];
            return word switch
            {
                "true" => new FilterOperand.Literal(JValue.True),
                "false" => new FilterOperand.Literal(JValue.False),
                "null" => new FilterOperand.Literal(JValue.Null),
                _ when double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) =>
                    new FilterOperand.Literal(JNumber.Of(number)),
                _ => throw new FormatException($"Invalid JSONPath '{text}' at position {begin}: expected a value in the filter."),
            };
        }

        private static bool TryOperator(string text, ref int pos, string op)
        {
            Skip(text, ref pos);
            if (string.CompareOrdinal(text, pos, op, 0, op.Length) == 0)
            {
                pos += op.Length;
                return true;
            }

            return false;
        }

        private static void Skip(string text, ref int pos)
        {
            while (pos < text.Length && text[pos] == ' ')
            {
                pos++;
            }
        }
    }
}
