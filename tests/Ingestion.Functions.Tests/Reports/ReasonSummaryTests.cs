using Ingestion.Domain.Students;
using Ingestion.Functions.Reports;

namespace Ingestion.Functions.Tests.Reports;

public sealed class ReasonSummaryTests
{
    private static Reason R(string code, string? field) => new(code, field, "...");

    [Fact]
    public void Reasons_are_counted_per_code_and_field_commonest_first_with_their_first_row()
    {
        var summary = ReasonSummary.Build(
        [
            (9, [R(ReasonCodes.EmailInvalid, "Email")]),
            (3, [R(ReasonCodes.MissingField, "Name"), R(ReasonCodes.EmailInvalid, "Email")]),
            (5, [R(ReasonCodes.MissingField, "Email")]),
            (7, [R(ReasonCodes.EmailInvalid, "Email"), R(ReasonCodes.EmailInvalid, "Email")]),
        ]);

        Assert.Equal(
            [("EMAIL_INVALID", "Email", 3L, 3L), ("MISSING_FIELD", "Email", 1L, 5L), ("MISSING_FIELD", "Name", 1L, 3L)],
            summary.Select(s => (s.Code, s.Field, s.Count, s.ExampleRow)));
    }

    [Fact]
    public void A_reason_about_the_whole_record_is_labelled_by_its_code_alone()
    {
        var summary = ReasonSummary.Build([(2, [R(ReasonCodes.NotAnObject, null)])]);

        Assert.Equal("NOT_AN_OBJECT", summary.Single().Label);
    }
}
