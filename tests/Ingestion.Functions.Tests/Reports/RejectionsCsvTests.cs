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

    private static SourceRecords Source(params (long Index, long Row, (string Name, string Value)[] Fields)[] records)
    {
        var columns = records.SelectMany(r => r.Fields.Select(f => f.Name)).Distinct().ToList();
        return new SourceRecords(
            records.ToDictionary(r => r.Index, r => new SourceRecord(r.Index, r.Row, r.Fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).ToList())),
            columns,
            ',');
    }

    [Theory]
    [MemberData(nameof(TrickyFields))]
    public void A_field_comes_back_whole_from_a_standard_CSV_reader(string value)
    {
        var source = Source((0, 2, [("StudentID", "S1"), ("Name", value), ("Email", "a@x.edu")]));

        var rows = Parse(RejectionsCsv.Write([new RejectedRecord(0, "S1", [Missing])], source, "CSV"));

        Assert.Equal(2, rows.Count);
        Assert.Equal(["Row", "Rejected StudentID", "Reasons", "Messages", "StudentID", "Name", "Email"], rows[0]);
        Assert.Equal(["2", "S1", "MISSING_FIELD (Name)", "Name is missing.", "S1", value, "a@x.edu"], rows[1]);
    }

    [Theory]
    [MemberData(nameof(FormulaFields))]
    public void A_cell_a_spreadsheet_would_run_as_a_formula_gets_a_leading_quote(string value)
    {
        var source = Source((4, 6, [("Name", value)]));

        var rows = Parse(RejectionsCsv.Write([new RejectedRecord(4, value, [Missing])], source, "CSV"));

        Assert.Equal("'" + value, rows[1][1]);
        Assert.Equal("'" + value, rows[1][4]);
    }

    [Fact]
    public void Rows_are_RFC_4180_records_ended_by_CRLF_with_quotes_doubled()
    {
        var source = Source((0, 2, [("Name", "say \"hi\", then\nleave")]));

        var text = Encoding.UTF8.GetString(RejectionsCsv.Write([new RejectedRecord(0, null, [Missing])], source, "CSV").ToArray().AsSpan(3));

        Assert.Equal("Row,Rejected StudentID,Reasons,Messages,Name\r\n2,,MISSING_FIELD (Name),Name is missing.,\"say \"\"hi\"\", then\nleave\"\r\n", text);
    }

    [Fact]
    public void Every_reason_is_listed_with_its_field_and_message_in_the_record_columns_of_the_file_order()
    {
        var reasons = new[] { new Reason(ReasonCodes.EmailInvalid, FieldNames.Email, "Email is not an address."), new Reason(ReasonCodes.NotAnObject, null, "Not an object.") };
        var source = Source((0, 2, [("Email", "x"), ("Name", "Ann"), ("Zeta", "z")]), (1, 3, [("Name", "Bob"), ("Alpha", "a")]));

        var rows = Parse(RejectionsCsv.Write([new RejectedRecord(0, "S1", reasons), new RejectedRecord(1, "S2", [Missing])], source, "JSON"));

        Assert.Equal(["Row", "Rejected StudentID", "Reasons", "Messages", "Email", "Name", "Zeta", "Alpha"], rows[0]);
        Assert.Equal(["2", "S1", "EMAIL_INVALID (Email); NOT_AN_OBJECT", "Email is not an address. | Not an object.", "x", "Ann", "z", ""], rows[1]);
        Assert.Equal(["3", "S2", "MISSING_FIELD (Name)", "Name is missing.", "", "Bob", "", "a"], rows[2]);
    }

    [Theory]
    [InlineData("CSV", 7L, 9L)]
    [InlineData("JSONL", 7L, 8L)]
    [InlineData("JSON", 7L, 8L)]
    public void A_record_the_file_no_longer_has_gets_the_row_its_index_gives(string inputType, long index, long row)
    {
        var rows = Parse(RejectionsCsv.Write([new RejectedRecord(index, "S1", [Missing])], SourceRecords.None, inputType));

        Assert.Equal(row.ToString(System.Globalization.CultureInfo.InvariantCulture), rows[1][0]);
    }
}
