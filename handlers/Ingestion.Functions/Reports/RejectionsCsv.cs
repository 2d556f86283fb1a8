using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Ingestion.Functions.Reports;

/// <summary>The rejections spreadsheet: a row per rejected record, to fix and upload again.</summary>
/// <remarks>
/// <para>
/// Columns: <c>Row</c> (where a spreadsheet of the file shows the record), <c>Rejected StudentID</c>, <c>Reasons</c>
/// (codes, each with its field), <c>Messages</c>, then the record's own fields in the file's column order. The
/// first four are named so that none can clash with a field of the file; deleting them leaves the records as the
/// file had them. UTF-8 with a byte order mark, which is how spreadsheet programs recognise UTF-8 in a CSV.
/// </para>
/// <para>
/// Rows are kept in a spool file as they are made, so a million rejected records cost disk, not memory. The header
/// comes last to be known: a JSON file's columns are the keys of its rejected records, in the order they first
/// appear, so a row made early may have fewer cells than the header; it is padded with empty ones when written out.
/// </para>
/// </remarks>
internal sealed class RejectionsCsv : IDisposable
{
    public static readonly string[] LeadingColumns = ["Row", "Rejected StudentID", "Reasons", "Messages"];

    private readonly EntryLog _rows = new();
    private readonly StringWriter _text = new(CultureInfo.InvariantCulture);
    private readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);
    private byte[] _bytes = new byte[1024];

    public long Count => _rows.Count;

    /// <summary>Adds a record's row: its cells for <paramref name="columns"/>, the file's columns known so far.</summary>
    /// <param name="found">The record as the file holds it; null when the file could not be read again for it.</param>
    public void Add(long row, RejectedRecord record, SourceRecord? found, IReadOnlyList<string> columns)
    {
        _fields.Clear();
        foreach (var (name, value) in found?.Fields ?? [])
        {
            _fields[name] = value; // a key given twice: the last, as the map's reader keeps it
        }

        _text.GetStringBuilder().Clear();
        var cells = CsvCells.AppendCells(_text, [
            row.ToString(CultureInfo.InvariantCulture),
            record.StudentId ?? string.Empty,
            string.Join("; ", record.Reasons.Select(r => r.Field is null ? r.Code : $"{r.Code} ({r.Field})")),
            string.Join(" | ", record.Reasons.Select(r => r.Message)),
            .. columns.Select(column => _fields.TryGetValue(column, out var value) ? value : string.Empty),
        ]);

        // Each row spooled as its cell count, then its text in UTF-8.
        var text = _text.GetStringBuilder();
        var length = sizeof(int) + Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_bytes.Length < length)
        {
            _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
        }

        BinaryPrimitives.WriteInt32LittleEndian(_bytes, cells);
        var written = sizeof(int);
        foreach (var chunk in text.GetChunks())
        {
            written += Encoding.UTF8.GetBytes(chunk.Span, _bytes.AsSpan(written));
        }

        _rows.Add(_bytes.AsSpan(0, written));
    }

    /// <summary>Writes the spreadsheet: the byte order mark, the header with <paramref name="columns"/>, then every row, as wide as the header.</summary>
    public void WriteTo(Stream destination, IReadOnlyList<string> columns)
    {
        destination.Write(Encoding.UTF8.Preamble);
        using (var header = new StreamWriter(destination, new UTF8Encoding(false), 64 * 1024, leaveOpen: true))
        {
            CsvCells.AppendRow(header, LeadingColumns.Concat(columns));
        }

        var width = LeadingColumns.Length + columns.Count;
        foreach (var row in _rows.Read())
        {
            var cells = BinaryPrimitives.ReadInt32LittleEndian(row.Span);
            destination.Write(row.Span[sizeof(int)..]);
            for (var missing = width - cells; missing > 0; missing--)
            {
                destination.WriteByte((byte)',');
            }

            destination.Write("\r\n"u8);
        }
    }

    public void Dispose()
    {
        _rows.Dispose();
        _text.Dispose();
    }
}
