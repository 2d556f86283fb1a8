using System.Text.Json;

namespace Ingestion.Functions.Reports;

/// <summary>A rejected record as the file holds it: where a spreadsheet shows it and its own fields, in the file's order.</summary>
/// <param name="Row">The row a spreadsheet shows it on (CSV: the header is row 1), the JSON Lines line, or the 1-based position in a JSON array.</param>
/// <param name="Fields">Each field as text: strings as they are, numbers as written, null empty, objects and arrays as JSON.</param>
internal sealed record SourceRecord(long Index, long Row, IReadOnlyList<KeyValuePair<string, string>> Fields);

/// <summary>What a second read of the file found: the wanted records, the columns in the file's order, and for CSV how the header read.</summary>
/// <param name="Columns">The CSV header, or the union of the JSON records' keys in the order they first appear.</param>
/// <param name="Delimiter">The CSV delimiter the header uses (',' unless it has none and has ';', a tab or '|'); null for JSON.</param>
internal sealed record SourceRecords(IReadOnlyDictionary<long, SourceRecord> Records, IReadOnlyList<string> Columns, char? Delimiter)
{
    public static readonly SourceRecords None = new(new Dictionary<long, SourceRecord>(), [], null);

    /// <summary>
    /// Where a spreadsheet shows the record; for one the second read did not find (the file is gone), an estimate
    /// from its index, right unless the file has blank lines.
    /// </summary>
    public long RowOf(long index, string inputType) =>
        Records.TryGetValue(index, out var found) ? found.Row : inputType == "CSV" ? index + 2 : index + 1;

    /// <summary>Reads the records whose index is in <paramref name="wanted"/>, as the Distributed Map counted them.</summary>
    /// <remarks>
    /// The map's items carry no row numbers, and the rejected entries do not carry the records (a batch's output
    /// must fit Step Functions' 256 KiB), so the summary reads the file once more, stopping at the last wanted record.
    /// </remarks>
    /// <param name="csvDelimiter">A CSV file's delimiter as RegisterFile named it for the map's ItemReader (null: comma).</param>
    public static async Task<SourceRecords> ReadAsync(Stream content, string inputType, string? csvDelimiter, IReadOnlySet<long> wanted, CancellationToken cancellationToken) =>
        inputType switch
        {
            "CSV" => await CsvSource.ReadAsync(content, CsvHeader.CharOf(csvDelimiter), wanted, cancellationToken),
            "JSONL" => await ReadJsonLinesAsync(content, wanted, cancellationToken),
            _ => await ReadJsonArrayAsync(content, wanted, cancellationToken),
        };

    private static async Task<SourceRecords> ReadJsonArrayAsync(Stream content, IReadOnlySet<long> wanted, CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, SourceRecord>();
        var columns = new ColumnOrder();
        var index = 0L;
        await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable(content, FunctionsJsonContext.Default.JsonElement, cancellationToken))
        {
            if (wanted.Contains(index))
            {
                found[index] = new SourceRecord(index, index + 1, columns.Add(element));
                if (found.Count == wanted.Count)
                {
                    break;
                }
            }

            index++;
        }

        return new SourceRecords(found, columns.Names, null);
    }

    private static async Task<SourceRecords> ReadJsonLinesAsync(Stream content, IReadOnlySet<long> wanted, CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, SourceRecord>();
        var columns = new ColumnOrder();
        var index = 0L;
        await foreach (var (line, text) in ByteLines.ReadAsync(content, cancellationToken))
        {
            var trimmed = text.Span.Trim(" \t\r"u8);
            if (line == 1 && trimmed.StartsWith("\uFEFF"u8))
            {
                trimmed = trimmed[3..];
            }

            if (trimmed.IsEmpty)
            {
                continue; // the map does not count blank lines
            }

            if (wanted.Contains(index))
            {
                using var document = JsonDocument.Parse(trimmed.ToArray(), JsonInput.Options);
                found[index] = new SourceRecord(index, line, columns.Add(document.RootElement));
                if (found.Count == wanted.Count)
                {
                    break;
                }
            }

            index++;
        }

        return new SourceRecords(found, columns.Names, null);
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
