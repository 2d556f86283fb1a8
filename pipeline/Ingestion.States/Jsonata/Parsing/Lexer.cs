using System.Globalization;
using System.Text;
using Ingestion.States.Jsonata.Evaluation;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Parsing;

/// <summary>Splits JSONata source into tokens on demand; the parser says whether a '/' may open a regex.</summary>
internal sealed class Lexer
{
    private const string SingleCharOperators = ".[]{}(),@#;:?+-*/%|=<>^&!~";

    private readonly string _source;
    private int _pos;

    public Lexer(string source) => _source = source;

    public string Source => _source;

    public int Offset
    {
        get => _pos;
        set => _pos = value;
    }

    public Token Next(bool regexAllowed)
    {
        SkipWhitespaceAndComments();
        if (_pos >= _source.Length)
        {
            return new Token(TokenKind.End, "(end)", _pos);
        }

        var c = _source[_pos];
        if (regexAllowed && c == '/')
        {
            _pos++;
            return ReadRegex();
        }

        if (TryReadDoubleOperator(out var doubled))
        {
            return doubled;
        }

        if (c is '!' or '~')
        {
            JsonataErrors.Throw("S0204", $"Unknown operator: \"{c}\"", _pos + 1, c.ToString());
        }

        if (SingleCharOperators.Contains(c, StringComparison.Ordinal))
        {
            _pos++;
            return new Token(TokenKind.Operator, c.ToString(), _pos);
        }

        if (c is '"' or '\'')
        {
            _pos++;
            return ReadString(c);
        }

        if (c is >= '0' and <= '9')
        {
            return ReadNumber();
        }

        if (c == '`')
        {
            var end = _source.IndexOf('`', _pos + 1);
            if (end < 0)
            {
                JsonataErrors.Throw("S0105", "Quoted property name must be terminated with a backquote (`)", _pos);
            }

            var name = _source[(_pos + 1)..end];
            _pos = end + 1;
            return new Token(TokenKind.Name, name, _pos);
        }

        return ReadName();
    }

    private void SkipWhitespaceAndComments()
    {
        while (_pos < _source.Length)
        {
            var c = _source[_pos];
            if (c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f')
            {
                _pos++;
            }
            else if (c == '/' && _pos + 1 < _source.Length && _source[_pos + 1] == '*')
            {
                var end = _source.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    JsonataErrors.Throw("S0106", "Comment has no closing tag", _pos);
                }

                _pos = end + 2;
            }
            else
            {
                return;
            }
        }
    }

    private bool TryReadDoubleOperator(out Token token)
    {
        token = default;
        if (_pos + 1 >= _source.Length)
        {
            return false;
        }

        var pair = _source.AsSpan(_pos, 2);
        string? op = pair switch
        {
            ".." => "..",
            ":=" => ":=",
            "!=" => "!=",
            ">=" => ">=",
            "<=" => "<=",
            "**" => "**",
            "~>" => "~>",
            _ => null,
        };
        if (op is null)
        {
            return false;
        }

        _pos += 2;
        token = new Token(TokenKind.Operator, op, _pos);
        return true;
    }

    private Token ReadRegex()
    {
        var start = _pos;
        var depth = 0;
        while (_pos < _source.Length)
        {
            var c = _source[_pos];
            if (c == '/' && depth == 0 && !IsEscaped(start))
            {
                var pattern = _source[start.._pos];
                if (pattern.Length == 0)
                {
                    JsonataErrors.Throw("S0301", "Empty regular expressions are not allowed", _pos);
                }

                _pos++;
                var flagsStart = _pos;
                while (_pos < _source.Length && _source[_pos] is 'i' or 'm')
                {
                    _pos++;
                }

                return new Token(TokenKind.Regex, pattern, _pos, Flags: _source[flagsStart.._pos]);
            }

            if (c is '(' or '[' or '{' && !IsEscaped(start))
            {
                depth++;
            }
            else if (c is ')' or ']' or '}' && !IsEscaped(start))
            {
                depth--;
            }

            _pos++;
        }

        JsonataErrors.Throw("S0302", "No terminating / in regular expression", _pos);
        return default;
    }

    /// <summary>Whether the character at the cursor is preceded by an odd number of backslashes.</summary>
    private bool IsEscaped(int start)
    {
        var count = 0;
        for (var i = _pos - 1; i >= start && _source[i] == '\\'; i--)
        {
            count++;
        }

        return count % 2 == 1;
    }

    private Token ReadString(char quote)
    {
        var sb = new StringBuilder();
        while (_pos < _source.Length)
        {
            var c = _source[_pos];
            if (c == '\\')
            {
                _pos++;
                if (_pos >= _source.Length)
                {
                    break;
                }

                var e = _source[_pos];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 < _source.Length
                            && int.TryParse(_source.AsSpan(_pos + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        {
                            sb.Append((char)code);
                            _pos += 4;
                        }
                        else
                        {
                            JsonataErrors.Throw("S0104", "The escape sequence \\u must be followed by 4 hex digits", _pos);
                        }

                        break;
                    default:
                        JsonataErrors.Throw("S0103", $"Unsupported escape sequence: \\{e}", _pos, e.ToString());
                        break;
                }
            }
            else if (c == quote)
            {
                _pos++;
                return new Token(TokenKind.String, sb.ToString(), _pos);
            }
            else
            {
                sb.Append(c);
            }

            _pos++;
        }

        JsonataErrors.Throw("S0101", "String literal must be terminated by a matching quote", _pos);
        return default;
    }

    private Token ReadNumber()
    {
        var start = _pos;
        var s = _source;
        if (s[_pos] == '0')
        {
            _pos++;
        }
        else
        {
            while (_pos < s.Length && char.IsAsciiDigit(s[_pos]))
            {
                _pos++;
            }
        }

        if (_pos + 1 < s.Length && s[_pos] == '.' && char.IsAsciiDigit(s[_pos + 1]))
        {
            _pos++;
            while (_pos < s.Length && char.IsAsciiDigit(s[_pos]))
            {
                _pos++;
            }
        }

        if (_pos < s.Length && s[_pos] is 'e' or 'E')
        {
            var save = _pos;
            _pos++;
            if (_pos < s.Length && s[_pos] is '+' or '-')
            {
                _pos++;
            }

            if (_pos < s.Length && char.IsAsciiDigit(s[_pos]))
            {
                while (_pos < s.Length && char.IsAsciiDigit(s[_pos]))
                {
                    _pos++;
                }
            }
            else
            {
                _pos = save;
            }
        }

        var text = s[start.._pos];
        var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
        {
            JsonataErrors.Throw("S0102", $"Number out of range: {text}", _pos, text);
        }

        return new Token(TokenKind.Number, text, _pos, value);
    }

    private Token ReadName()
    {
        var start = _pos;
        while (_pos < _source.Length)
        {
            var c = _source[_pos];
            if (c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f' || SingleCharOperators.Contains(c, StringComparison.Ordinal))
            {
                break;
            }

            _pos++;
        }

        var name = _source[start.._pos];
        if (name.StartsWith('$'))
        {
            return new Token(TokenKind.Variable, name[1..], _pos);
        }

        return name switch
        {
            "and" or "or" or "in" => new Token(TokenKind.Operator, name, _pos),
            "true" => new Token(TokenKind.Value, name, _pos, Literal: true),
            "false" => new Token(TokenKind.Value, name, _pos, Literal: false),
            "null" => new Token(TokenKind.Value, name, _pos, Literal: JsNull.Value),
            _ => new Token(TokenKind.Name, name, _pos),
        };
    }
}
