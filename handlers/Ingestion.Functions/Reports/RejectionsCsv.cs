using System.Globalization;
using System.Text;

namespace Ingestion.Functions.Reports;

/// <summary>The rejections spreadsheet: a row per rejected record, to fix and upload again.</summary>
/// <remarks>
/// Columns: <c>Row</c> (where a spreadsheet of the file shows the record), <c>Rejected StudentID</c>, <c>Reasons</c>
/// (codes, each with its field), <c>Messages</c>, then the record's own fields in the file's column order. The
/// first four are named so that none can clash with a field of the file; deleting them leaves the records as the
/// file had them. UTF-8 with a byte order mark, which is how spreadsheet programs recognise UTF-8 in a CSV.
/// </remarks>
internal static class RejectionsCsv
{
    public static readonly string[] LeadingColumns = ["Row", "Rejected StudentID", "Reasons", "Messages"];

    public static MemoryStream Write(IReadOnlyList<RejectedRecord> rejected, SourceRecords source, string inputType)
    {
        var stream = new MemoryStream();
        using (var csv = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true))
        {
            CsvCells.AppendRow(csv, LeadingColumns.Concat(source.Columns));
            foreach (var record in rejected)
            {
                CsvCells.AppendRow(csv, Cells(record, source, inputType));
            }
        }

        stream.Position = 0;
        return stream;
    }

    private static IEnumerable<string> Cells(RejectedRecord record, SourceRecords source, string inputType)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (source.Records.TryGetValue(record.Index, out var found))
        {
            foreach (var (name, value) in found.Fields)
            {
                fields[name] = value; // a key given twice: the last, as the map's reader keeps it
            }
        }

        return [
            source.RowOf(record.Index, inputType).ToString(CultureInfo.InvariantCulture),
            record.StudentId ?? string.Empty,
            string.Join("; ", record.Reasons.Select(r => r.Field is null ? r.Code : $"{r.Code} ({r.Field})")),
            string.Join(" | ", record.Reasons.Select(r => r.Message)),
            .. source.Columns.Select(column => fields.TryGetValue(column, out var value) ? value : string.Empty),
        ];
    }
}
