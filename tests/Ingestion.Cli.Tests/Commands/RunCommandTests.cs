using Ingestion.Testing;

namespace Ingestion.Cli.Tests.Commands;

public sealed class RunCommandTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task A_batch_with_rejected_records_succeeds_with_exit_0_and_a_summary_table()
    {
        var result = await _cli.RunAsync("run", CliFixture.TestData("students-mixed.json"));

        Assert.Equal(0, result.Exit);
        var row = Assert.Single(result.Lines, l => l.StartsWith("| students-mixed.json", StringComparison.Ordinal));
        Assert.Equal(["students-mixed.json", "SUCCEEDED", "15", "6 created, 9 rejected", "6"], row.Split('|', StringSplitOptions.TrimEntries)[1..6]);
        Assert.Contains("ingest report students-mixed.json", result.Out, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Json_prints_one_line_per_file_with_exactly_the_documented_fields()
    {
        var result = await _cli.RunAsync("run", CliFixture.TestData("students.json"), CliFixture.TestData("students-mixed.csv"), "--json");

        Assert.Equal(0, result.Exit);
        Assert.Equal(2, result.JsonLines.Count);
        var first = result.JsonLines[0];
        Assert.Equal(
            ["file", "key", "status", "received", "created", "updated", "unchanged", "replayed", "stale", "rejected", "failed", "notified", "report", "durationMs"],
            first.EnumerateObject().Select(p => p.Name));
        var clean = SampleBatches.Of("students.json");
        Assert.Equal((CliFixture.TestData("students.json"), "incoming/students.json", "SUCCEEDED", clean.Received, clean.Created, clean.Created),
            (first.GetProperty("file").GetString(), first.GetProperty("key").GetString(), first.GetProperty("status").GetString(),
             first.GetProperty("received").GetInt64(), first.GetProperty("created").GetInt64(), first.GetProperty("notified").GetInt64()));
        Assert.StartsWith("reports/students.json/", first.GetProperty("report").GetString(), StringComparison.Ordinal);
        Assert.True(first.GetProperty("durationMs").GetInt64() >= 0);
        var csv = SampleBatches.Of("students-mixed.csv");
        Assert.Equal((csv.Received, csv.Created, csv.Rejected), (result.JsonLines[1].GetProperty("received").GetInt64(), result.JsonLines[1].GetProperty("created").GetInt64(), result.JsonLines[1].GetProperty("rejected").GetInt64()));
    }

    [Fact]
    public async Task A_quarantined_file_exits_1_and_says_so()
    {
        var result = await _cli.RunAsync("run", CliFixture.TestData("students.json"), CliFixture.TestData("unparseable.json"), "--json");

        Assert.Equal(1, result.Exit);
        Assert.Equal(["SUCCEEDED", "QUARANTINED"], result.JsonLines.Select(l => l.GetProperty("status").GetString()));
        Assert.StartsWith("reports/unparseable.json/", result.JsonLines[1].GetProperty("report").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quarantined_file_in_the_table_run_names_the_reason()
    {
        var result = await _cli.RunAsync("run", CliFixture.TestData("unparseable.json"));

        Assert.Equal(1, result.Exit);
        Assert.Contains("unparseable.json: QUARANTINED: States.ItemReaderFailed: Failed to read items from s3://ingestion/incoming/unparseable.json", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_a_usage_error_with_one_line_and_nothing_written()
    {
        var result = await _cli.RunAsync("run", CliFixture.TestData("students.json"), "no-such-file.json");

        Assert.Equal(2, result.Exit);
        Assert.Equal("ingest run: no such file: no-such-file.json", result.Error.Trim());
        Assert.Empty(result.Out);
        Assert.False(Directory.Exists(_cli.DataDir));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("run", "--bogus")]
    [InlineData("bogus")]
    [InlineData]
    public async Task Bad_command_lines_exit_2(params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(2, result.Exit);
        Assert.NotEmpty(result.Error);
    }

    [Fact]
    public async Task The_data_folder_comes_from_INGEST_DATA_DIR_when_no_option_is_given()
    {
        var fromEnvironment = Path.Combine(_cli.Root, "env-data");
        _cli.Environment["INGEST_DATA_DIR"] = fromEnvironment;

        var result = await _cli.RunRawAsync(["run", CliFixture.TestData("students.json"), "--json"]);

        Assert.Equal(0, result.Exit);
        Assert.True(File.Exists(Path.Combine(fromEnvironment, "s3", "ingestion", "archive", "students.json")));
        Assert.False(Directory.Exists(_cli.DataDir));
    }

    [Fact]
    public async Task A_setting_that_cannot_work_is_a_usage_error()
    {
        _cli.Environment["INGEST_STORE"] = "cassandra";

        var result = await _cli.RunAsync("run", CliFixture.TestData("students.json"));

        Assert.Equal(2, result.Exit);
        Assert.Contains("INGEST_STORE", result.Error, StringComparison.Ordinal);
    }
}
