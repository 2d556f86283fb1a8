using System.Text.Json;

namespace Ingestion.Cli.Tests.Commands;

public sealed class CostCommandTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Json_is_one_object_whose_totals_are_the_sum_of_its_lines()
    {
        var result = await _cli.RunRawAsync(["cost", "--students", "1000000", "--json"]);

        Assert.Equal(0, result.Exit);
        var estimate = Assert.Single(result.JsonLines);
        Assert.Equal("first-load", estimate.GetProperty("scenario").GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, estimate.GetProperty("scenario").GetProperty("changedFraction").ValueKind);
        Assert.Equal(12_500, estimate.GetProperty("shape").GetProperty("batches").GetInt64());
        Assert.Equal("2026-11-24", estimate.GetProperty("pricesReadOn").GetString());
        var lines = estimate.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(11, lines.Count);
        foreach (var line in lines)
        {
            var price = line.GetProperty("unitPrice").GetDouble();
            Assert.Equal(line.GetProperty("ours").GetProperty("quantity").GetDouble() * price, line.GetProperty("ours").GetProperty("cost").GetDouble(), 9);
            Assert.False(string.IsNullOrEmpty(line.GetProperty("source").GetString()));
        }

        var totals = estimate.GetProperty("totals");
        Assert.Equal(lines.Sum(l => l.GetProperty("ours").GetProperty("cost").GetDouble()), totals.GetProperty("ours").GetDouble(), 9);
        Assert.Equal(lines.Sum(l => l.GetProperty("naive").GetProperty("cost").GetDouble()), totals.GetProperty("naive").GetDouble(), 9);
        Assert.Equal(totals.GetProperty("naive").GetDouble() / totals.GetProperty("ours").GetDouble(), totals.GetProperty("ratio").GetDouble(), 9);
        Assert.True(totals.GetProperty("ratio").GetDouble() > 1);
    }

    [Fact]
    public async Task A_rerun_costs_less_than_a_first_load_and_says_what_changed()
    {
        var first = Assert.Single((await _cli.RunRawAsync(["cost", "--students", "1000000", "--json"])).JsonLines);
        var rerun = Assert.Single((await _cli.RunRawAsync(["cost", "--students", "1000000", "--changed-fraction", "0.01", "--json"])).JsonLines);

        Assert.Equal("rerun", rerun.GetProperty("scenario").GetProperty("kind").GetString());
        Assert.Equal(9_800, rerun.GetProperty("scenario").GetProperty("updated").GetInt64());
        Assert.True(rerun.GetProperty("totals").GetProperty("ours").GetDouble() < first.GetProperty("totals").GetProperty("ours").GetDouble());
        Assert.True(Quantity(rerun, "dynamodb-wru") < Quantity(first, "dynamodb-wru"));
        Assert.True(Quantity(rerun, "sns-request") < Quantity(first, "sns-request"));
    }

    [Fact]
    public async Task The_table_shows_every_line_both_designs_totals_and_the_ratio()
    {
        var result = await _cli.RunRawAsync(["cost", "--students", "1000000", "--changed-fraction", "0.01"]);

        Assert.Equal(0, result.Exit);
        Assert.Contains("1,000,000 students, nightly re-run (9,800 updated, 970,200 unchanged, 20,000 rejected)", result.Out, StringComparison.Ordinal);
        Assert.Contains("12,500 batches of 80 as EXPRESS children", result.Out, StringComparison.Ordinal);
        foreach (var item in (string[])["Step Functions STANDARD state transitions", "Step Functions EXPRESS duration", "Lambda duration, Arm",
            "DynamoDB on-demand write request units", "SNS publish requests", "CloudWatch Logs ingestion", "S3 GET, HEAD requests"])
        {
            Assert.Contains(item, result.Out, StringComparison.Ordinal);
        }

        Assert.Contains("$0.025/1,000 transitions", result.Out, StringComparison.Ordinal);
        Assert.Contains("Per 1,000 students", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"Naive / ours: \d+\.\dx\.", result.Out);
        Assert.Contains("DynamoDB's latency on AWS differs", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Durations_given_on_the_command_line_are_the_ones_priced()
    {
        var result = await _cli.RunRawAsync(["cost", "--students", "10000", "--validate-ms", "40", "--store-ms", "350", "--json"]);

        var durations = Assert.Single(result.JsonLines).GetProperty("durationsMs");
        Assert.Equal(40, durations.GetProperty("validateStudents").GetDouble());
        Assert.Equal(350, durations.GetProperty("storeStudents").GetDouble());
        Assert.True(durations.GetProperty("validateGiven").GetBoolean());
    }

    [Fact]
    public async Task Measure_times_the_handlers_here_and_says_so()
    {
        var result = await _cli.RunRawAsync(["cost", "--students", "1000", "--measure", "--json"]);

        Assert.Equal(0, result.Exit);
        var estimate = Assert.Single(result.JsonLines);
        Assert.Contains("on this machine just now", estimate.GetProperty("durationsMs").GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.True(estimate.GetProperty("handlers").GetProperty("validateMicrosPerStudent").GetDouble() > 0);
        Assert.Contains("Timing ValidateStudents", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--students", "0")]
    [InlineData("--students", "-5")]
    [InlineData("--students", "100", "--changed-fraction", "1.5")]
    [InlineData("--students", "100", "--changed-fraction", "-0.1")]
    [InlineData("--students", "100", "--invalid-fraction", "2")]
    [InlineData("--students", "100", "--store-ms", "0")]
    public async Task An_argument_out_of_range_is_a_usage_error_naming_it(params string[] args)
    {
        var result = await _cli.RunRawAsync(["cost", .. args]);

        Assert.Equal(2, result.Exit);
        Assert.Contains(args[^2], result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Theory]
    [InlineData("cost")]
    [InlineData("cost", "--students", "many")]
    public async Task A_missing_or_unreadable_student_count_is_a_usage_error(params string[] args)
    {
        var result = await _cli.RunRawAsync(args);

        Assert.Equal(2, result.Exit);
        Assert.Contains("--students", result.Error, StringComparison.Ordinal);
    }

    private static double Quantity(JsonElement estimate, string key) =>
        estimate.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("key").GetString() == key).GetProperty("ours").GetProperty("quantity").GetDouble();
}
