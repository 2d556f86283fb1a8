using Ingestion.Domain.Students;
using Ingestion.Functions.Reports;

namespace Ingestion.Functions.Tests.Reports;

/// <summary>A file more than half rejected is called out with the likely cause, read from its rejections and header.</summary>
public sealed class FileCalloutTests
{
    private static List<RejectedRecord> Rejected(int count, params (string Code, string? Field)[] reasons) =>
        [.. Enumerable.Range(0, count).Select(i => new RejectedRecord(i, $"S{i}", [.. reasons.Select(r => new Reason(r.Code, r.Field, "..."))]))];

    /// <summary>A CSV file's shape as the second read shows it: the header, and the rejected <paramref name="rows"/> found in it.</summary>
    private static SourceShape Csv(string[] header, char delimiter = ',', params string[][] rows) => new(
        header,
        delimiter,
        rows.Length,
        header.Select((column, i) => (column, rows.Count(row => row[i].Contains('@', StringComparison.Ordinal))))
            .Where(c => c.Item2 > 0)
            .ToDictionary(c => c.column, c => (long)c.Item2));

    private static FileCallout? For(long received, List<RejectedRecord> rejected, SourceShape source, string inputType = "CSV") =>
        FileCallout.For(received, rejected.Count, ReasonSummary.Build(rejected.Select(r => (r.Index + 2, r.Reasons))), source, inputType);

    [Fact]
    public void Half_a_file_rejected_or_less_is_not_called_out()
    {
        var rejected = Rejected(5, (ReasonCodes.MissingField, FieldNames.Name));

        Assert.Null(For(10, rejected, Csv(["StudentID", "Nmae", "Department", "Email"])));
    }

    [Fact]
    public void A_misspelt_header_is_named_with_the_field_it_stands_for()
    {
        var callout = For(10, Rejected(9, (ReasonCodes.MissingField, FieldNames.Name)), Csv(["StudentID", "Nmae", "Department", "Email"]));

        Assert.Equal("MISSPELT_HEADER", callout!.Cause);
        Assert.Contains("'Nmae' (for 'Name')", callout.Message, StringComparison.Ordinal);
        Assert.StartsWith("9 of 10 records were rejected", callout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_semicolon_delimiter_is_named_when_the_required_fields_went_missing()
    {
        var rejected = Rejected(3, (ReasonCodes.MissingField, FieldNames.StudentId), (ReasonCodes.MissingField, FieldNames.Name));

        var callout = For(3, rejected, Csv(["StudentID", "Name", "Department", "Email"], ';'));

        Assert.Equal("DELIMITER", callout!.Cause);
        Assert.Contains("';'", callout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_first_row_that_reads_like_a_student_means_the_header_is_missing()
    {
        var rejected = Rejected(4, (ReasonCodes.MissingField, FieldNames.StudentId), (ReasonCodes.MissingField, FieldNames.Email));

        var callout = For(4, rejected, Csv(["S-1001", "Ann Lee", "Mathematics", "ann@example.edu"]));

        Assert.Equal("MISSING_HEADER", callout!.Cause);
    }

    [Fact]
    public void A_required_column_nothing_resembles_is_called_missing_with_the_columns_seen()
    {
        var callout = For(2, Rejected(2, (ReasonCodes.MissingField, FieldNames.Department)), Csv(["StudentID", "Name", "Faculty", "Email"]));

        Assert.Equal("MISSING_COLUMN", callout!.Cause);
        Assert.Contains("'Department'", callout.Message, StringComparison.Ordinal);
        Assert.Contains("'Faculty'", callout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Columns_are_not_quoted_when_none_is_a_required_field_since_they_may_be_a_student_s_data()
    {
        var callout = For(2, Rejected(2, (ReasonCodes.MissingField, FieldNames.StudentId)), Csv(["Ann Lee", "Maths"]), "CSV");

        Assert.Equal("MISSING_COLUMN", callout!.Cause);
        Assert.DoesNotContain("Ann Lee", callout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Addresses_found_in_another_column_point_at_swapped_columns()
    {
        var source = Csv(["StudentID", "Name", "Email", "Department"], ',', ["S1", "Ann", "Maths", "ann@x.edu"], ["S2", "Bob", "Physics", "bob@x.edu"]);

        var callout = For(2, Rejected(2, (ReasonCodes.EmailInvalid, FieldNames.Email)), source);

        Assert.Equal("WRONG_COLUMN", callout!.Cause);
        Assert.Contains("'Department'", callout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejections_with_no_common_cause_name_the_commonest_reason_and_a_row()
    {
        List<RejectedRecord> rejected =
        [
            new(0, "S0", [new Reason(ReasonCodes.EmailInvalid, FieldNames.Email, "...")]),
            new(1, null, [new Reason(ReasonCodes.NotAnObject, null, "...")]),
            new(2, "S2", [new Reason(ReasonCodes.NameTooLong, FieldNames.Name, "...")]),
        ];

        var callout = For(4, rejected, SourceShape.None, "JSON");

        Assert.Equal("UNKNOWN", callout!.Cause);
        Assert.Contains("e.g. row", callout.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Nmae", "Name", true)]
    [InlineData("E-mail", "Email", true)]
    [InlineData("student_id", "StudentID", true)]
    [InlineData("Departmnet", "Department", true)]
    [InlineData("Faculty", "Department", false)]
    [InlineData("Age", "Name", false)]
    public void A_column_is_like_a_field_when_its_letters_are_one_or_two_edits_away(string column, string field, bool like) =>
        Assert.Equal(like, FileCallout.IsLike(column, field));
}
