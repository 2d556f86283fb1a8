namespace Ingestion.Cli.Tests.Commands;

/// <summary>The habits gh, the AWS CLI and the dotnet CLI taught users: options where they apply, errors that name the fix.</summary>
public sealed class CliHabitsTests : IDisposable
{
    private static readonly string[] StorageOptions = ["--data-dir", "--store", "--dynamodb-endpoint", "--objects", "--s3-endpoint", "--bucket"];

    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("run")]
    [InlineData("redrive")]
    [InlineData("students", "list")]
    [InlineData("students", "get")]
    [InlineData("outbox")]
    public async Task Commands_that_open_the_stores_take_the_storage_options(params string[] command)
    {
        var help = (await _cli.RunRawAsync([.. command, "--help"])).Out;

        Assert.All(StorageOptions, option => Assert.Contains($"  {option} ", help, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cost")]
    [InlineData("bench")]
    [InlineData("states")]
    [InlineData("states", "validate")]
    public async Task Commands_that_touch_no_store_do_not_offer_the_storage_options(params string[] command)
    {
        var help = (await _cli.RunRawAsync([.. command, "--help"])).Out;

        Assert.Contains("Usage:", help, StringComparison.Ordinal);
        Assert.All(StorageOptions, option => Assert.DoesNotContain($"  {option} ", help, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_reads_the_data_folder_only()
    {
        var help = (await _cli.RunRawAsync(["metrics", "--help"])).Out;

        Assert.Contains("  --data-dir ", help, StringComparison.Ordinal);
        Assert.DoesNotContain("  --store ", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_storage_option_on_cost_is_an_error_naming_it()
    {
        var result = await _cli.RunRawAsync(["cost", "--students", "10", "--store", "sqlite"]);

        Assert.Equal(2, result.Exit);
        Assert.StartsWith("ingest cost: Unrecognized option '--store'.", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ingest run: Unrecognized option '--jsn'. Did you mean '--json'?", "run", "students.json", "--jsn")]
    [InlineData("ingest run: Unrecognized option '--jsn'. Did you mean '--json'?", "run", "--jsn")]
    [InlineData("ingest students list: Unrecognized option '--departmnt'. Did you mean '--department'?", "students", "list", "--departmnt", "Physics")]
    [InlineData("ingest: Unrecognized command 'stdents'. Did you mean 'students'?", "stdents", "list")]
    [InlineData("ingest outbox: --limit: 'abc' is not a whole number.", "outbox", "--limit", "abc")]
    [InlineData("ingest sync: --grace: 'soon' is not a whole number.", "sync", "--grace", "soon")]
    public async Task A_mistyped_command_line_is_one_usage_error_that_names_the_fix(string expected, params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(2, result.Exit);
        Assert.Equal([expected, $"See '{expected[..expected.IndexOf(':', StringComparison.Ordinal)]} --help'."], result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.DoesNotContain("System.", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
        Assert.False(Directory.Exists(_cli.DataDir));
    }

    [Fact]
    public async Task A_file_named_like_an_option_is_taken_after_a_double_dash()
    {
        var result = await _cli.RunAsync("run", "--", "--jsn");

        Assert.Equal(2, result.Exit);
        Assert.Equal("ingest run: no such file: --jsn", result.Error.Trim());
    }

    [Fact]
    public async Task Outbox_with_an_unknown_topic_says_which_exist()
    {
        Assert.Equal(0, (await _cli.RunAsync("run", CliFixture.TestData("students.json"))).Exit);

        var unknown = await _cli.RunAsync("outbox", "--topic", "StudentEvent");
        var anyCase = await _cli.RunAsync("outbox", "--topic", "adminalerts", "--json");

        Assert.Equal(2, unknown.Exit);
        Assert.StartsWith("ingest outbox: there is no topic 'StudentEvent'; the topics are StudentEvents and AdminAlerts", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(0, anyCase.Exit);
        Assert.EndsWith(":AdminAlerts", Assert.Single(anyCase.JsonLines).GetProperty("topic").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Students_list_matches_the_department_in_any_case()
    {
        Assert.Equal(0, (await _cli.RunAsync("run", CliFixture.TestData("students.json"))).Exit);

        var result = await _cli.RunAsync("students", "list", "--department", "mATHEMATICS", "--json");

        Assert.Equal(0, result.Exit);
        Assert.Equal(4, result.JsonLines.Count);
        Assert.All(result.JsonLines, s => Assert.Equal("Mathematics", s.GetProperty("Department").GetString()));
    }

    [Fact]
    public async Task The_hints_run_prints_carry_the_data_folder_and_quote_names_with_spaces()
    {
        var file = _cli.WriteFile("my students.json", File.ReadAllText(CliFixture.TestData("students.json")));

        var result = await _cli.RunAsync("run", file);

        Assert.Equal(0, result.Exit);
        Assert.Contains($"Reports: ingest report 'my students.json' --data-dir {_cli.DataDir} (files in ", result.Out, StringComparison.Ordinal);
    }
}
