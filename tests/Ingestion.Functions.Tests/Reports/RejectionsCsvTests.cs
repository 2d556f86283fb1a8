using System.Text;
using Ingestion.Domain.Students;
using Ingestion.Functions.Reports;
using Ingestion.Testing;

namespace Ingestion.Functions.Tests.Reports;

/// <summary>The rejections CSV read back with the tests' own RFC 4180 reader, as a spreadsheet or a script would.</summary>
public sealed class RejectionsCsvTests
{
    private static readonly Reason Missing = new(ReasonCodes.MissingField, FieldNames.Name, "Name is missing.");

    public static TheoryData<string> TrickyFields() =>
    [
        "plain",
        "comma, inside",
        "a \"quoted\" word",
        "two\nlines",
        "carriage\r\nreturn",
        "Zoë Ångström 山田 😀",
        " leading and trailing spaces ",
        "",
        "1+1=2",
        "'already quoted",
    ];

    public static TheoryData<string> FormulaFields() => ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tTAB", "\rCR"];

    private static List<List<string>> Parse(MemoryStream csv)
    {
        var bytes = csv.ToArray();
        Assert.True(bytes.AsSpan().StartsWith(Encoding.UTF8.GetPreamble()), "UTF-8 with a byte order mark, as spreadsheets expect");
        return CsvRows.Parse(Encoding.UTF8.GetString(bytes.AsSpan(3)));
    }

    private static SourceRecord Record(long index, long row, params (string Name, string Value)[] fields) =>
        new(index, row, [.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))]);

    /// <summary>Rows added as the analysis adds them (each with the columns known by then), then the spreadsheet written out.</summary>
    private static MemoryStream Write(params (RejectedRecord Record, SourceRecord? Found)[] rows)
    {
        using var csv = new RejectionsCsv();
        var columns = new List<string>();
        foreach (var (record, found) in rows)
        {
            columns.AddRange(found?.Fields.Select(f => f.Key).Where(name => !columns.Contains(name)).ToList() ?? []);
            csv.Add(found?.Row ?? record.Index + 2, record, found, columns);
        }

        var stream = new MemoryStream();
        csv.WriteTo(stream, columns);
        return stream;
    }

    [Theory]
    [MemberData(nameof(TrickyFields))]
    public void A_field_comes_back_whole_from_a_standard_CSV_reader(string value)
    {
        var found = Record(0, 2, ("StudentID", "S1"), ("Name", value), ("Email", "a@x.edu"));

        var rows = Parse(Write((new RejectedRecord(0, "S1", [Missing]), found)));

        Assert.Equal(2, rows.Count);
        Assert.Equal(["Row", "Rejected StudentID", "Reasons", "Messages", "StudentID", "Name", "Email"], rows[0]);
        Assert.Equal(["2", "S1", "MISSING_FIELD (Name)", "Name is missing.", "S1", value, "a@x.edu"], rows[1]);
    }

    [Theory]
    [MemberData(nameof(FormulaFields))]
    public void A_cell_a_spreadsheet_would_run_as_a_formula_gets_a_leading_quote(string value)
    {
        var found = Record(4, 6, ("Name", value));

        var rows = Parse(Write((new RejectedRecord(4, value, [Missing]), found)));

        Assert.Equal("'" + value, rows[1][1]);
        Assert.Equal("'" + value, rows[1][4]);
    }

    [Fact]
    public void Rows_are_RFC_4180_records_ended_by_CRLF_with_quotes_doubled()
    {
        var found = Record(0, 2, ("Name", "say \"hi\", then\nleave"));

        var text = Encoding.UTF8.GetString(Write((new RejectedRecord(0, null, [Missing]), found)).ToArray().AsSpan(3));

        Assert.Equal("Row,Rejected StudentID,Reasons,Messages,Name\r\n2,,MISSING_FIELD (Name),Name is missing.,\"say \"\"hi\"\", then\nleave\"\r\n", text);
    }

    [Fact]
    public void Every_reason_is_listed_with_its_field_and_message_in_the_record_columns_of_the_file_order_rows_made_early_padded()
    {
        var reasons = new[] { new Reason(ReasonCodes.EmailInvalid, FieldNames.Email, "Email is not an address."), new Reason(ReasonCodes.NotAnObject, null, "Not an object.") };

        var rows = Parse(Write(
            (new RejectedRecord(0, "S1", reasons), Record(0, 2, ("Email", "x"), ("Name", "Ann"), ("Zeta", "z"))),
            (new RejectedRecord(1, "S2", [Missing]), Record(1, 3, ("Name", "Bob"), ("Alpha", "a")))));

        Assert.Equal(["Row", "Rejected StudentID", "Reasons", "Messages", "Email", "Name", "Zeta", "Alpha"], rows[0]);
        Assert.Equal(["2", "S1", "EMAIL_INVALID (Email); NOT_AN_OBJECT", "Email is not an address. | Not an object.", "x", "Ann", "z", ""], rows[1]);
        Assert.Equal(["3", "S2", "MISSING_FIELD (Name)", "Name is missing.", "", "Bob", "", "a"], rows[2]);
    }

    [Fact]
    public void A_record_the_file_no_longer_has_keeps_its_reasons_and_leaves_its_fields_empty()
    {
        var rows = Parse(Write(
            (new RejectedRecord(0, "S1", [Missing]), Record(0, 2, ("Name", ""), ("Email", "a@x.edu"))),
            (new RejectedRecord(7, "S8", [Missing]), null)));

        Assert.Equal(["9", "S8", "MISSING_FIELD (Name)", "Name is missing.", "", ""], rows[2]);
    }
}
