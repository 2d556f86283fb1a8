using System.Text;
using System.Text.Json;

namespace Ingestion.Functions.Reports;

/// <summary>A rejected record as the file holds it: where a spreadsheet shows it and its own fields, in the file's order.</summary>
/// <param name="Row">The row a spreadsheet shows it on (CSV: the header is row 1), the JSON Lines line, or the 1-based position in a JSON array.</param>
/// <param name="Fields">Each field as text: strings as they are, numbers as written, null empty, objects and arrays as JSON.</param>
internal sealed record SourceRecord(long Index, long Row, IReadOnlyList<KeyValuePair<string, string>> Fields);

/// <summary>Reads a file version again, front to back, handing over the records asked for by index, lowest first.</summary>
/// <remarks>
/// The map's items carry no row numbers, and the rejected entries do not carry the records (a batch's output must fit
/// Step Functions' 256 KiB), so the summary reads the file once more, in step with the rejected records sorted by
/// index: one record is held at a time, however many are rejected. Indexes are the map's: records counted from 0, a
/// CSV's header and blank lines and a JSON Lines file's blank lines not counted.
/// </remarks>
internal abstract class SourceCursor : IAsyncDisposable
{
    private SourceRecord? _last;

    /// <summary>The CSV header, or the keys of the JSON records found so far, in the order they first appear.</summary>
    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>The CSV delimiter the file was read with; null for JSON.</summary>
    public virtual char? Delimiter => null;

    /// <param name="csvDelimiter">A CSV file's delimiter as RegisterFile named it for the map's ItemReader (null: comma), so rows and fields are the ones it read.</param>
    public static SourceCursor Open(Stream content, string inputType, string? csvDelimiter, CancellationToken cancellationToken) => inputType switch
    {
        "CSV" => new Csv(content, CsvHeader.CharOf(csvDelimiter)),
        "JSONL" => new JsonLines(content, cancellationToken),
        _ => new JsonArray(content, cancellationToken),
    };

    /// <summary>
    /// Where a spreadsheet shows a record the second read did not find (the file is gone, or could not be read): an
    /// estimate from its index, right unless the file has blank lines.
    /// </summary>
    public static long EstimatedRow(long index, string inputType) => inputType == "CSV" ? index + 2 : index + 1;

    /// <summary>The record at <paramref name="index"/>; null when the file has no such record, or it was passed already (asking for the last one found again is fine).</summary>
    public async ValueTask<SourceRecord?> FindAsync(long index, CancellationToken cancellationToken)
    {
        if (_last is { } last && last.Index == index)
        {
            return last;
        }

        var found = await SeekAsync(index, cancellationToken);
        if (found is not null)
        {
            _last = found;
        }

        return found;
    }

    public abstract ValueTask DisposeAsync();

    /// <summary>Reads on to the record at <paramref name="index"/>; null when the file ends first or is already past it.</summary>
    protected abstract ValueTask<SourceRecord?> SeekAsync(long index, CancellationToken cancellationToken);

    /// <summary>A spreadsheet shows every record on one row (line breaks inside quotes stay in the cell) and a blank line as an empty row, which the map skips: so a record's row is one more than the records and blank lines before it, the header being row 1.</summary>
    private sealed class Csv(Stream content, char delimiter) : SourceCursor
    {
        private readonly StreamReader _reader = new(content, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        private string[]? _header;
        private long _row;
        private long _next;
        private CsvParser? _parser;

        public override IReadOnlyList<string> Columns => _header ?? [];

        public override char? Delimiter => delimiter;

        public override ValueTask DisposeAsync()
        {
            _reader.Dispose();
            return ValueTask.CompletedTask;
        }

        protected override async ValueTask<SourceRecord?> SeekAsync(long index, CancellationToken cancellationToken)
        {
            _parser ??= new CsvParser(_reader, delimiter);
            while (index >= _next && await _parser.NextAsync(cancellationToken) is { } fields)
            {
                _row++;
                if (fields.Count == 0)
                {
                    continue; // a blank line: a row in a spreadsheet, no record for the map
                }

                if (_header is null)
                {
                    _header = [.. fields];
                    continue;
                }

                if (_next++ == index)
                {
                    var values = new KeyValuePair<string, string>[_header.Length];
                    for (var i = 0; i < _header.Length; i++)
                    {
                        values[i] = new(_header[i], i < fields.Count ? fields[i] : string.Empty);
                    }

                    return new SourceRecord(index, _row, values);
                }
            }

            return null;
        }
    }

    /// <summary>A record's row is its line, blank lines counted (the map skips them).</summary>
    private sealed class JsonLines(Stream content, CancellationToken cancellationToken) : SourceCursor
    {
        private readonly IAsyncEnumerator<(long Line, ReadOnlyMemory<byte> Text)> _lines = ByteLines.ReadAsync(content, cancellationToken).GetAsyncEnumerator(cancellationToken);
        private readonly ColumnOrder _columns = new();
        private long _next;

        public override IReadOnlyList<string> Columns => _columns.Names;

        public override ValueTask DisposeAsync() => _lines.DisposeAsync();

        protected override async ValueTask<SourceRecord?> SeekAsync(long index, CancellationToken cancellationToken)
        {
            while (index >= _next && await _lines.MoveNextAsync())
            {
                var (line, text) = _lines.Current;
                var trimmed = text.Span.Trim(" \t\r"u8);
                if (line == 1 && trimmed.StartsWith("\uFEFF"u8))
                {
                    trimmed = trimmed[3..];
                }

                if (trimmed.IsEmpty)
                {
                    continue; // the map does not count blank lines
                }

                if (_next++ == index)
                {
                    using var document = JsonDocument.Parse(trimmed.ToArray(), JsonInput.Options);
                    return new SourceRecord(index, line, _columns.Add(document.RootElement));
                }
            }

            return null;
        }
    }

    /// <summary>A record's row is its position in the array, from 1.</summary>
    private sealed class JsonArray(Stream content, CancellationToken cancellationToken) : SourceCursor
    {
        private readonly IAsyncEnumerator<JsonElement> _elements = JsonSerializer.DeserializeAsyncEnumerable(content, FunctionsJsonContext.Default.JsonElement, cancellationToken).GetAsyncEnumerator(cancellationToken);
        private readonly ColumnOrder _columns = new();
        private long _next;

        public override IReadOnlyList<string> Columns => _columns.Names;

        public override ValueTask DisposeAsync() => _elements.DisposeAsync();

        protected override async ValueTask<SourceRecord?> SeekAsync(long index, CancellationToken cancellationToken)
        {
            while (index >= _next && await _elements.MoveNextAsync())
            {
                if (_next++ == index)
                {
                    return new SourceRecord(index, index + 1, _columns.Add(_elements.Current));
                }
            }

            return null;
        }
    }

    /// <summary>The keys of JSON records in the order they first appear, and each record's fields as text.</summary>
    private sealed class ColumnOrder
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public List<string> Names { get; } = [];

        public List<KeyValuePair<string, string>> Add(JsonElement record)
        {
            var fields = new List<KeyValuePair<string, string>>();
            if (record.ValueKind != JsonValueKind.Object)
            {
                return fields; // NOT_AN_OBJECT: nothing to lay out in columns
            }

            foreach (var property in record.EnumerateObject())
            {
                if (_seen.Add(property.Name))
                {
                    Names.Add(property.Name);
                }

                fields.Add(new(property.Name, Text(property.Value)));
            }

            return fields;
        }

        private static string Text(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? string.Empty,
            JsonValueKind.Null => string.Empty,
            _ => value.GetRawText(),
        };
    }
}
