using System.Globalization;
using System.Text;
using Ingestion.States.Json;

namespace Ingestion.States.Tests.Jsonata;

/// <summary>
/// A JSON reader for case files that keeps lone surrogate escapes (\uD800) as they are: the reference suite
/// tests them, and System.Text.Json (behind <see cref="JValue.Parse(string)"/>) rejects them.
/// </summary>
internal sealed class LenientJson
{
    private readonly string _text;
    private int _pos;

    private LenientJson(string text) => _text = text;

    public static JValue Parse(string text)
    {
        var reader = new LenientJson(text);
        var value = reader.Value();
        reader.Skip();
        return reader._pos == text.Length ? value : throw new FormatException($"Trailing text at {reader._pos}");
    }

    private void Skip()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private JValue Value()
    {
        Skip();
        var c = _text[_pos];
        switch (c)
        {
            case '{':
                return Object();
            case '[':
                return Array();
            case '"':
                return new JString(String());
            case 't':
                _pos += 4;
                return JValue.True;
            case 'f':
                _pos += 5;
                return JValue.False;
            case 'n':
                _pos += 4;
                return JValue.Null;
            default:
                var start = _pos;
                while (_pos < _text.Length && "+-0123456789.eE".Contains(_text[_pos], StringComparison.Ordinal))
                {
                    _pos++;
                }

                return JNumber.Of(double.Parse(_text.AsSpan(start, _pos - start), NumberStyles.Float, CultureInfo.InvariantCulture));
        }
    }

    private JObject Object()
    {
        _pos++;
        var properties = new List<KeyValuePair<string, JValue>>();
        Skip();
        if (_text[_pos] == '}')
        {
            _pos++;
            return new JObject([]);
        }

        while (true)
        {
            Skip();
            var key = String();
            Skip();
            _pos++; // ':'
            properties.Add(new(key, Value()));
            Skip();
            if (_text[_pos++] == '}')
            {
                return JObject.FromProperties(properties);
            }
        }
    }

    private JArray Array()
    {
        _pos++;
        var items = new List<JValue>();
        Skip();
        if (_text[_pos] == ']')
        {
            _pos++;
            return new JArray([.. items]);
        }

        while (true)
        {
            items.Add(Value());
            Skip();
            if (_text[_pos++] == ']')
            {
                return new JArray([.. items]);
            }
        }
    }

    private string String()
    {
        _pos++;
        var sb = new StringBuilder();
        while (_text[_pos] != '"')
        {
            var c = _text[_pos++];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            var e = _text[_pos++];
            sb.Append(e switch
            {
                'b' => '\b',
                'f' => '\f',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'u' => (char)int.Parse(_text.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
                _ => e,
            });
            if (e == 'u')
            {
                _pos += 4;
            }
        }

        _pos++;
        return sb.ToString();
    }
}
