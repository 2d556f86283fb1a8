using Ingestion.Local.Tests.Support;
using Ingestion.Testing;

namespace Ingestion.Local.Tests.Pipeline;

/// <summary>The real IngestFile definition: the callout and the plain-text summary reach the run's result and AdminAlerts.</summary>
public sealed class RejectionReportTests : IAsyncLifetime
{
    private TestPipeline _test = null!;

    public Task InitializeAsync()
    {
        _test = TestPipeline.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _test.DisposeAsync();

    [Fact]
    public async Task A_file_with_a_misspelt_header_is_called_out_in_its_result_and_its_e_mail()
    {
        var result = await _test.IngestAsync(_test.WriteFile("students.csv", "StudentID,Name,Departmnet,Email\nS1,Ann,Maths,ann@x.edu\nS2,Bo,Maths,bo@x.edu\n"));

        Assert.Contains("'Departmnet' (for 'Department') looks misspelt", result.Callout, StringComparison.Ordinal);
        var admin = Assert.Single(await _test.OutboxAsync("AdminAlerts"));
        Assert.EndsWith("CHECK FILE", admin.Subject, StringComparison.Ordinal);
        Assert.Contains("CHECK THIS FILE: " + result.Callout, admin.Message, StringComparison.Ordinal);
        Assert.Contains("  MISSING_FIELD (Department): 2, e.g. row 2\n", admin.Message, StringComparison.Ordinal);
        Assert.Contains($"Rejections spreadsheet: s3://{LocalPipeline.Bucket}/{result.ReportKey![..^".report.json".Length]}.rejections.csv", admin.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_uploads_of_one_name_keep_two_reports_each_with_its_rejections_CSV()
    {
        var first = await _test.IngestAsync(_test.WriteFile("students.json", """[{"StudentID":"S1","Name":"Ann","Department":"Maths","Email":"no"}]"""));
        var second = await _test.IngestAsync(_test.WriteFile("students.json", """[{"StudentID":"S1","Name":"Ann","Department":"Maths","Email":"ann@x.edu"}]"""));

        Assert.NotEqual(first.ReportKey, second.ReportKey);
        Assert.Equal(1, (await _test.ReportAsync(first.ReportKey!)).GetProperty("counts").GetProperty("rejected").GetInt32());
        Assert.Equal(0, (await _test.ReportAsync("students.json")).GetProperty("counts").GetProperty("rejected").GetInt32());
        await using var csv = await _test.Pipeline.OpenReportFileAsync(first.ReportKey![..^".report.json".Length] + ".rejections.csv");
        using var reader = new StreamReader(csv!);
        var rows = CsvRows.Parse(await reader.ReadToEndAsync());
        Assert.Equal(["1", "S1", "EMAIL_INVALID (Email)"], rows[1][..3]);
    }
}
