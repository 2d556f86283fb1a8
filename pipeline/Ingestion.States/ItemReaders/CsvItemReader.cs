using System.Runtime.CompilerServices;
using System.Text;
using Ingestion.States.Json;

namespace Ingestion.States.ItemReaders;

/// <summary>
/// Streams CSV rows (RFC 4180: quoted fields may hold delimiters, doubled quotes and newlines) as
/// objects of strings keyed by the header, as AWS delivers CSV items.
/// </summary>
internal static class CsvItemReader
{
    public static async IAsyncEnumerable<JValue> ReadAsync(Stream stream, string source, char delimiter, IReadOnlyList<string>? givenHeaders,
        [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        var parser = new CsvParser(reader, delimiter, source);
        string[]? headers = givenHeaders?.ToArray();
        while (true)
        {
            var (row, line) = await parser.NextRowAsync(ct);
            if (row is null)
            {
                yield break;
            }

            if (headers is null)
            {
                headers = [.. row];
                continue;
            }

            if (row.Count != headers.Length)
            {
                throw ItemReaderFailure.At(source, $"line {line}", $"the row has {row.Count} fields but the header has {headers.Length}");
            }

            var properties = new KeyValuePair<string, JValue>[headers.Length];
            for (var i = 0; i < headers.Length; i++)
            {
                properties[i] = new(headers[i], new JString(row[i]));
            }

            yield return JObject.FromProperties(properties);
        }
    }

    private sealed class CsvParser(StreamReader reader, char delimiter, string source)
    {
        private readonly char[] _buffer = new char[16 * 1024];
        private int _pos;
        private int _len;
        private long _line = 1;

        public async ValueTask<(List<string>? Row, long Line)> NextRowAsync(CancellationToken ct)
        {
            var fields = new List<string>();
            var field = new StringBuilder();
            var inQuotes = false;
            var quotedField = false;
            var startLine = _line;
            var any = false;
            while (true)
            {
                if (_pos == _len)
                {
                    try
                    {
                        _len = await reader.ReadAsync(_buffer.AsMemory(), ct);
                    }
                    catch (DecoderFallbackException e)
                    {
                        throw ItemReaderFailure.At(source, $"line {_line}", $"invalid UTF-8 ({e.Message})");
                    }

                    _pos = 0;
                    if (_len == 0)
                    {
                        if (inQuotes)
                        {
                            throw ItemReaderFailure.At(source, $"line {startLine}", "a quoted field is not terminated");
                        }

                        if (!any)
                        {
                            return (null, startLine);
                        }

                        fields.Add(field.ToString());
                        return (fields, startLine);
                    }
                }

                var c = _buffer[_pos++];
                any = true;
                if (inQuotes)
                {
                    if (c == '"')
                    {
                        if (await PeekAsync(ct) == '"')
                        {
                            _pos++;
                            field.Append('"');
                        }
                        else
                        {
                            inQuotes = false;
                        }
                    }
                    else
                    {
                        if (c == '\n')
                        {
                            _line++;
                        }

                        field.Append(c);
                    }

                    continue;
                }

                if (c == '"' && field.Length == 0 && !quotedField)
                {
                    inQuotes = true;
                    quotedField = true;
                }
                else if (c == delimiter)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    quotedField = false;
                }
                else if (c is '\n' or '\r')
                {
                    if (c == '\r' && await PeekAsync(ct) == '\n')
                    {
                        _pos++;
                    }

                    _line++;
                    if (fields.Count == 0 && field.Length == 0 && !quotedField)
                    {
                        // A blank line carries no row.
                        any = false;
                        startLine = _line;
                        continue;
                    }

                    fields.Add(field.ToString());
                    return (fields, startLine);
                }
                else if (quotedField)
                {
                    throw ItemReaderFailure.At(source, $"line {_line}", $"unexpected '{c}' after a closing quote");
                }
                else
                {
                    field.Append(c);
                }
            }
        }

        private async ValueTask<int> PeekAsync(CancellationToken ct)
        {
            if (_pos == _len)
            {
                _len = await reader.ReadAsync(_buffer.AsMemory(), ct);
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
