using System.Text;

namespace Ingestion.Functions.Reports;

/// <summary>Reads a CSV file's header and wanted rows again, numbering rows as a spreadsheet does.</summary>
/// <remarks>
/// RFC 4180 as the map's reader takes it: a field that starts with a quote may hold delimiters, doubled quotes and
/// line breaks; a row ends at '\n', "\r\n" or '\r'. A spreadsheet shows every record on one row (line breaks inside
/// quotes stay in the cell) and a blank line as an empty row, which the map skips: so a record's row is one more
/// than the records and blank lines before it, the header being row 1.
/// </remarks>
internal static class CsvSource
{
    private const int BufferChars = 64 * 1024;

    /// <param name="delimiter">The delimiter the map's ItemReader split the file on (RegisterFile's <c>csvDelimiter</c>), so rows and fields are the ones it read.</param>
    public static async Task<SourceRecords> ReadAsync(Stream content, char delimiter, IReadOnlySet<long> wanted, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(content, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var parser = new Parser(reader, delimiter);
        var found = new Dictionary<long, SourceRecord>();
        string[]? header = null;
        var row = 0L;
        var index = 0L;
        while (found.Count < wanted.Count && await parser.NextAsync(cancellationToken) is { } fields)
        {
            row++;
            if (fields.Count == 0)
            {
                continue; // a blank line: a row in a spreadsheet, no record for the map
            }

            if (header is null)
            {
                header = [.. fields];
                continue;
            }

            if (wanted.Contains(index))
            {
                var values = new KeyValuePair<string, string>[header.Length];
                for (var i = 0; i < header.Length; i++)
                {
                    values[i] = new(header[i], i < fields.Count ? fields[i] : string.Empty);
                }

                found[index] = new SourceRecord(index, row, values);
            }

            index++;
        }

        if (header is null)
        {
            // Nothing wanted (no row read) still tells the header, which the callout looks at.
            var first = await parser.NextNonBlankAsync(cancellationToken);
            header = first is null ? [] : [.. first];
        }

        return new SourceRecords(found, header, delimiter);
    }

    private sealed class Parser(TextReader reader, char delimiter)
    {
        private readonly char[] _buffer = new char[BufferChars];
        private readonly StringBuilder _field = new();
        private int _pos;
        private int _len;

        public async Task<List<string>?> NextNonBlankAsync(CancellationToken cancellationToken)
        {
            while (await NextAsync(cancellationToken) is { } fields)
            {
                if (fields.Count > 0)
                {
                    return fields;
                }
            }

            return null;
        }

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
}
