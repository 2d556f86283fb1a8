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
    private const int SniffChars = 64 * 1024;

    public static async Task<SourceRecords> ReadAsync(Stream content, IReadOnlySet<long> wanted, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(content, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var parser = new Parser(reader);
        var delimiter = Sniff((await parser.PeekAsync(SniffChars, cancellationToken)).Span);
        parser.Delimiter = delimiter;
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

    /// <summary>The delimiter the first line uses: ',' when it has one outside quotes, else the first of ';', tab, '|' it has.</summary>
    internal static char Sniff(ReadOnlySpan<char> start)
    {
        var quoted = false;
        char? other = null;
        foreach (var c in start)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '\n' or '\r')
            {
                break;
            }
            else if (!quoted && c == ',')
            {
                return ',';
            }
            else if (!quoted && other is null && c is ';' or '\t' or '|')
            {
                other = c;
            }
        }

        return other ?? ',';
    }

    private sealed class Parser(TextReader reader)
    {
        private readonly char[] _buffer = new char[SniffChars];
        private readonly StringBuilder _field = new();
        private int _pos;
        private int _len;

        public char Delimiter { get; set; } = ',';

        /// <summary>Up to <paramref name="count"/> characters from the start, without consuming them.</summary>
        public async Task<ReadOnlyMemory<char>> PeekAsync(int count, CancellationToken cancellationToken)
        {
            while (_len < count && await reader.ReadAsync(_buffer.AsMemory(_len, count - _len), cancellationToken) is var read and > 0)
            {
                _len += read;
            }

            return _buffer.AsMemory(0, _len);
        }

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
                else if (c == Delimiter)
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
