using System.Runtime.CompilerServices;
using System.Text;
using Ingestion.States.Json;

namespace Ingestion.States.ItemReaders;

/// <summary>
/// Streams CSV rows (RFC 4180: quoted fields may hold delimiters, doubled quotes and newlines) as
/// objects of strings keyed by the header, as AWS delivers CSV items.
/// </summary>
/// <remarks>
/// As AWS reads them (LocalStack's AWS-validated item reader tests): a header may not name a column twice; a row with
/// fewer fields than the header gives "" for the missing ones, and fields past the header's are dropped.
/// </remarks>
internal static class CsvItemReader
{
    public static async IAsyncEnumerable<JValue> ReadAsync(Stream stream, string source, char delimiter, IReadOnlyList<string>? givenHeaders,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var parser = new CsvParser(stream, delimiter, source);
        string[]? headers = givenHeaders?.ToArray();
        if (headers is not null && !Distinct(headers))
        {
            throw ItemReaderFailure.DuplicateCsvHeaders();
        }

        while (true)
        {
            var (row, _) = await parser.NextRowAsync(ct);
            if (row is null)
            {
                yield break;
            }

            if (headers is null)
            {
                headers = [.. row];
                if (!Distinct(headers))
                {
                    throw ItemReaderFailure.DuplicateCsvHeaders();
                }

                continue;
            }

            var properties = new KeyValuePair<string, JValue>[headers.Length];
            for (var i = 0; i < headers.Length; i++)
            {
                properties[i] = new(headers[i], i < row.Count ? new JString(row[i]) : JString.Empty);
            }

            yield return new JObject(properties);
        }
    }

    private static bool Distinct(string[] headers) => headers.Distinct(StringComparer.Ordinal).Count() == headers.Length;

    /// <summary>
    /// Decodes UTF-8 itself (not with a StreamReader) so that a byte that is not UTF-8 is reported with its line and
    /// offset, and a file in another encoding is refused rather than silently decoded: items are UTF-8, as on AWS.
    /// </summary>
    private sealed class CsvParser(Stream stream, char delimiter, string source)
    {
        /// <summary>A row longer than this is refused before it is buffered any further (the readers' item limit).</summary>
        private const int MaxRowChars = ByteWindow.MaxItemBytes;

        private readonly byte[] _bytes = new byte[16 * 1024];
        private readonly char[] _buffer = new char[(16 * 1024) + 2];
        private readonly Decoder _decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();

        // What ends a run of plain characters, outside quotes and inside them.
        private readonly System.Buffers.SearchValues<char> _unquotedSpecials = System.Buffers.SearchValues.Create([delimiter, '"', '\n', '\r']);
        private readonly System.Buffers.SearchValues<char> _quotedSpecials = System.Buffers.SearchValues.Create(['"', '\n']);
        private readonly List<string> _fields = [];
        private readonly StringBuilder _field = new();
        private int _pos;
        private int _len;
        private long _line = 1;
        private long _charactersSinceNewline; // of the line the decoded bytes end in, for a bad byte's column
        private long _newlinesDecoded;
        private bool _started;
        private bool _ended;

        /// <summary>The next row's fields, in a list the next call reuses; null at the end.</summary>
        public async ValueTask<(List<string>? Row, long Line)> NextRowAsync(CancellationToken ct)
        {
            var fields = _fields;
            var field = _field;
            fields.Clear();
            field.Clear();
            var inQuotes = false;
            var quotedField = false;
            var startLine = _line;
            var any = false;
            var rowChars = 0;
            while (true)
            {
                if (_pos == _len)
                {
                    _len = await FillAsync(ct);
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
                if (++rowChars > MaxRowChars)
                {
                    throw ItemReaderFailure.At(source, $"line {startLine}", $"a row is longer than {MaxRowChars} characters (an unterminated quote?)");
                }

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
                        rowChars += AppendRun(field, _quotedSpecials);
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
                    rowChars += AppendRun(field, _unquotedSpecials);
                }
            }
        }

        /// <summary>Appends the plain characters that follow in the buffer, up to the next one <paramref name="specials"/> holds.</summary>
        private int AppendRun(StringBuilder field, System.Buffers.SearchValues<char> specials)
        {
            var rest = _buffer.AsSpan(_pos, _len - _pos);
            var run = rest.IndexOfAny(specials);
            if (run < 0)
            {
                run = rest.Length;
            }

            field.Append(rest[..run]);
            _pos += run;
            return run;
        }

        private async ValueTask<int> PeekAsync(CancellationToken ct)
        {
            if (_pos == _len)
            {
                _len = await FillAsync(ct);
                _pos = 0;
                if (_len == 0)
                {
                    return -1;
                }
            }

            return _buffer[_pos];
        }

        /// <summary>Decodes the next bytes into <see cref="_buffer"/>; 0 at the end of the object.</summary>
        private async ValueTask<int> FillAsync(CancellationToken ct)
        {
            while (!_ended)
            {
                var count = await stream.ReadAsync(_bytes, ct);
                var offset = 0;
                if (!_started)
                {
                    // Enough bytes to recognise a byte order mark, however the stream splits them.
                    while (count is > 0 and < 4 && await stream.ReadAsync(_bytes.AsMemory(count), ct) is var more and > 0)
                    {
                        count += more;
                    }

                    _started = true;
                    if (ItemReaderFailure.ForeignByteOrderMark(_bytes.AsSpan(0, count)) is { } encoding)
                    {
                        throw ItemReaderFailure.NotUtf8(source, encoding);
                    }

                    if (_bytes.AsSpan(0, count).StartsWith("\uFEFF"u8))
                    {
                        offset = 3;
                    }
                }

                _ended = count == 0;
                int chars;
                try
                {
                    chars = _decoder.GetChars(_bytes, offset, count - offset, _buffer, 0, flush: _ended);
                }
                catch (DecoderFallbackException e)
                {
                    var at = offset + Math.Clamp(e.Index, 0, Math.Max(0, count - offset - 1));
                    var before = _bytes.AsSpan(offset, at - offset);
                    var line = _newlinesDecoded + before.Count((byte)'\n') + 1;
                    var lastNewline = before.LastIndexOf((byte)'\n');
                    var column = (lastNewline >= 0 ? Characters(before[(lastNewline + 1)..]) : _charactersSinceNewline + Characters(before)) + 1;
                    throw ItemReaderFailure.At(source, $"line {line}, column {column}", $"a byte that is not UTF-8 (0x{_bytes[at]:X2}); save the file as UTF-8");
                }

                var decoded = _bytes.AsSpan(offset, count - offset);
                _newlinesDecoded += decoded.Count((byte)'\n');
                var lastLineBreak = decoded.LastIndexOf((byte)'\n');
                _charactersSinceNewline = lastLineBreak >= 0 ? Characters(decoded[(lastLineBreak + 1)..]) : _charactersSinceNewline + Characters(decoded);
                if (chars > 0)
                {
                    return chars;
                }
            }

            return 0;
        }

        /// <summary>How many characters valid UTF-8 bytes hold: every byte but the continuation bytes (10xxxxxx).</summary>
        private static long Characters(ReadOnlySpan<byte> utf8)
        {
            var continuations = 0;
            foreach (var b in utf8)
            {
                continuations += (b & 0xC0) == 0x80 ? 1 : 0;
            }

            return utf8.Length - continuations;
        }
    }
}
