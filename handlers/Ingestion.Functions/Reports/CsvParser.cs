using System.Text;

namespace Ingestion.Functions.Reports;

/// <summary>Splits CSV text into records as the map's reader does, for reading a file again.</summary>
/// <remarks>
/// RFC 4180 as the map's reader takes it: a field that starts with a quote may hold delimiters, doubled quotes and
/// line breaks; a record ends at '\n', "\r\n" or '\r'. A blank line is a record with no fields, which the map skips
/// but a spreadsheet shows as a row.
/// </remarks>
internal sealed class CsvParser(TextReader reader, char delimiter)
{
    private const int BufferChars = 64 * 1024;

    private readonly char[] _buffer = new char[BufferChars];
    private readonly StringBuilder _field = new();
    private int _pos;
    private int _len;

    /// <summary>The next record's fields (empty for a blank line); null at the end.</summary>
    public async Task<List<string>?> NextAsync(CancellationToken cancellationToken)
    {
        var fields = new List<string>();
        _field.Clear();
        var quoted = false;
        var wasQuoted = false;
        var any = false;
        while (true)
        {
            var next = await ReadAsync(cancellationToken);
            if (next < 0)
            {
                if (!any)
                {
                    return null;
                }

                fields.Add(_field.ToString());
                return fields;
            }

            var c = (char)next;
            any = true;
            if (quoted)
            {
                if (c == '"' && await PeekCharAsync(cancellationToken) == '"')
                {
                    _pos++;
                    _field.Append('"');
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    _field.Append(c);
                }
            }
            else if (c == '"' && _field.Length == 0 && !wasQuoted)
            {
                quoted = wasQuoted = true;
            }
            else if (c == delimiter)
            {
                fields.Add(_field.ToString());
                _field.Clear();
                wasQuoted = false;
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && await PeekCharAsync(cancellationToken) == '\n')
                {
                    _pos++;
                }

                if (fields.Count == 0 && _field.Length == 0 && !wasQuoted)
                {
                    return fields; // blank line
                }

                fields.Add(_field.ToString());
                return fields;
            }
            else
            {
                _field.Append(c);
            }
        }
    }

    private async ValueTask<int> ReadAsync(CancellationToken cancellationToken)
    {
        var c = await PeekCharAsync(cancellationToken);
        if (c >= 0)
        {
            _pos++;
        }

        return c;
    }

    private async ValueTask<int> PeekCharAsync(CancellationToken cancellationToken)
    {
        if (_pos == _len)
        {
            _len = await reader.ReadAsync(_buffer, cancellationToken);
            _pos = 0;
            if (_len == 0)
            {
                return -1;
            }
        }

        return _buffer[_pos];
    }
}
