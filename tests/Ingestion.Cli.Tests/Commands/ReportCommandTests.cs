using System.Text.Json;
using Ingestion.Testing;

namespace Ingestion.Cli.Tests.Commands;

/// <summary><c>ingest report</c> on a file uploaded twice: the newest report, every version's, and the rejections CSV.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly CliFixture _cli = new();
    private readonly TempFolder _files = new();

    public void Dispose()
    {
        _cli.Dispose();
        _files.Dispose();
    }

    private async Task<string> WriteAsync(string content)
    {
        var path = _files.Combine("students.csv");
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    /// <summary>A misspelt header (every record rejected), then the file fixed: two versions of one name.</summary>
    private async Task<(JsonElement First, JsonElement Second)> UploadTwiceAsync()
    {
        var first = await _cli.RunAsync("run", await WriteAsync("StudentID,Nmae,Department,Email\nS1,Ann,Maths,ann@x.edu\nS2,\"Lee, Bo\",-5,bo@x.edu\n"), "--json");
        var second = await _cli.RunAsync("run", await WriteAsync("StudentID,Name,Department,Email\nS1,Ann,Maths,ann@x.edu\nS2,Bo,Maths,bad-address\n"), "--json");
        return (first.JsonLines.Single(), second.JsonLines.Single());
    }

    [Fact]
    public async Task Report_shows_the_newest_version_and_versions_lists_both_with_their_reports()
    {
        var (first, second) = await UploadTwiceAsync();

        var newest = JsonDocument.Parse((await _cli.RunAsync("report", "students.csv", "--json")).Out).RootElement;
        var versions = await _cli.RunAsync("report", "students.csv", "--versions", "--json");

        Assert.Equal(1, newest.GetProperty("counts").GetProperty("rejected").GetInt32());
        Assert.Equal(
            [second.GetProperty("report").GetString(), first.GetProperty("report").GetString()],
            versions.JsonLines.Select(l => l.GetProperty("reportKey").GetString()));
    }

    [Fact]
    public async Task Version_opens_an_earlier_report_by_the_start_of_its_id()
    {
        await UploadTwiceAsync();
        var oldest = (await _cli.RunAsync("report", "students.csv", "--versions", "--json")).JsonLines[^1].GetProperty("version").GetString()!;

        var result = await _cli.RunAsync("report", "students.csv", "--version", oldest[..8], "--json");

        Assert.Equal(0, result.Exit);
        Assert.Equal(2, JsonDocument.Parse(result.Out).RootElement.GetProperty("counts").GetProperty("rejected").GetInt32());
    }

    [Fact]
    public async Task An_unknown_version_exits_1_with_what_to_do()
    {
        await UploadTwiceAsync();

        var result = await _cli.RunAsync("report", "students.csv", "--version", "nope");

        Assert.Equal(1, result.Exit);
        Assert.Contains("no version nope of students.csv (ingest report students.csv --versions lists them)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Format_csv_prints_the_rejections_spreadsheet_of_the_chosen_report()
    {
        await UploadTwiceAsync();
        var oldest = (await _cli.RunAsync("report", "students.csv", "--versions", "--json")).JsonLines[^1].GetProperty("version").GetString()!;

        var result = await _cli.RunAsync("report", "students.csv", "--version", oldest, "--format", "csv");

        Assert.Equal(0, result.Exit);
        var rows = CsvRows.Parse(result.Out.TrimStart('\uFEFF'));
        Assert.Equal(["Row", "Rejected StudentID", "Reasons", "Messages", "StudentID", "Nmae", "Department", "Email"], rows[0]);
        Assert.Equal(["3", "S2", "MISSING_FIELD (Name)", "Name is missing.", "S2", "Lee, Bo", "'-5", "bo@x.edu"], rows[2]);
    }

    [Fact]
    public async Task The_report_table_opens_with_the_callout_and_the_summary_by_reason()
    {
        var (first, _) = await UploadTwiceAsync();

        var result = await _cli.RunAsync("report", first.GetProperty("report").GetString()!);

        Assert.Equal(0, result.Exit);
        Assert.Contains("'Nmae' (for 'Name') looks misspelt", result.Out, StringComparison.Ordinal);
        Assert.Contains("Rejections by reason (commonest first):", result.Out, StringComparison.Ordinal);
        Assert.Contains("| MISSING_FIELD (Name) |       2 |           2 |", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_calls_out_a_file_more_than_half_rejected_in_json_and_under_the_table()
    {
        var (first, second) = await UploadTwiceAsync();
        // A ';' file is read as such now (the delimiter comes from the header); a misspelt header is still called out.
        var table = await _cli.RunAsync("run", await WriteAsync("StudentID,Nmae,Department,Email\nS1,Ann,Maths,ann@x.edu\n"));

        Assert.Contains("misspelt", first.GetProperty("callout").GetString(), StringComparison.Ordinal);
        Assert.False(second.TryGetProperty("callout", out _)); // one of two rejected: not more than half
        Assert.Contains("students.csv: CHECK THIS FILE: 1 of 1 records were rejected", table.Out, StringComparison.Ordinal);
        Assert.Contains("'Nmae' (for 'Name') looks misspelt", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_and_a_format_other_than_json_are_a_usage_error()
    {
        var result = await _cli.RunAsync("report", "students.csv", "--json", "--format", "csv");

        Assert.Equal(2, result.Exit);
    }
}
