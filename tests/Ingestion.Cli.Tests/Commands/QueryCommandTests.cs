namespace Ingestion.Cli.Tests.Commands;

/// <summary>The commands that read what runs left behind: files, report, students, outbox, metrics.</summary>
public sealed class QueryCommandTests : IClassFixture<QueryCommandTests.Ingested>
{
    private readonly Ingested _data;

    public QueryCommandTests(Ingested data) => _data = data;

    private CliFixture Cli => _data.Cli;

    /// <summary>One data folder with students.json, students-mixed.json and unparseable.json ingested.</summary>
    public sealed class Ingested : IAsyncLifetime
    {
        public CliFixture Cli { get; } = new();

        public async Task InitializeAsync() =>
            await Cli.RunAsync("run", CliFixture.TestData("students.json"), CliFixture.TestData("students-mixed.json"), CliFixture.TestData("unparseable.json"), "--json");

        public Task DisposeAsync()
        {
            Cli.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Files_lists_the_ledger_newest_first()
    {
        var result = await Cli.RunAsync("files", "--json");

        Assert.Equal(0, result.Exit);
        Assert.Equal(
            [("incoming/unparseable.json", "QUARANTINED"), ("incoming/students-mixed.json", "SUCCEEDED"), ("incoming/students.json", "SUCCEEDED")],
            result.JsonLines.Select(l => (l.GetProperty("key").GetString(), l.GetProperty("status").GetString())));
        Assert.Equal(9, result.JsonLines[1].GetProperty("counts").GetProperty("rejected").GetInt32());
        Assert.Equal("States.ItemReaderFailed", result.JsonLines[0].GetProperty("error").GetProperty("Error").GetString());
        Assert.Contains("| incoming/students.json", (await Cli.RunAsync("files")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_shows_every_rejected_record_with_its_reasons()
    {
        var result = await Cli.RunAsync("report", "students-mixed.json");

        Assert.Equal(0, result.Exit);
        Assert.Contains("Rejected records (9):", result.Out, StringComparison.Ordinal);
        Assert.Contains("MISSING_FIELD (Email): Email is missing.", result.Out, StringComparison.Ordinal);
        Assert.Contains("STUDENT_ID_TOO_LONG", result.Out, StringComparison.Ordinal);
        var json = await Cli.RunAsync("report", "incoming/students-mixed.json", "--json");
        Assert.Equal(9, System.Text.Json.JsonDocument.Parse(json.Out).RootElement.GetProperty("rejected").GetArrayLength());
        var reportKey = (await Cli.RunAsync("files", "--json")).JsonLines.Single(l => l.GetProperty("key").GetString() == "incoming/unparseable.json").GetProperty("reportKey").GetString()!;
        var byReportKey = await Cli.RunAsync("report", reportKey, "--json");
        Assert.Equal("QUARANTINED", System.Text.Json.JsonDocument.Parse(byReportKey.Out).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Report_of_an_unknown_file_exits_1()
    {
        var result = await Cli.RunAsync("report", "nothing.json");

        Assert.Equal(1, result.Exit);
        Assert.Contains("no report for nothing.json", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Students_get_shows_the_stored_item_and_exits_1_when_there_is_none()
    {
        var found = await Cli.RunAsync("students", "get", "S-2001", "--json");
        var missing = await Cli.RunAsync("students", "get", "S-9999");

        Assert.Equal(0, found.Exit);
        var item = System.Text.Json.JsonDocument.Parse(found.Out).RootElement;
        Assert.Equal(("S-2001", 3, "incoming/students-mixed.json", 0), (item.GetProperty("StudentID").GetString(), item.GetProperty("Year").GetInt32(), item.GetProperty("SourceKey").GetString(), item.GetProperty("SourceIndex").GetInt32()));
        Assert.Contains("Department", (await Cli.RunAsync("students", "get", "S-2001")).Out, StringComparison.Ordinal);
        Assert.Equal(1, missing.Exit);
    }

    [Fact]
    public async Task Students_list_filters_by_department()
    {
        var all = await Cli.RunAsync("students", "list", "--json");
        var maths = await Cli.RunAsync("students", "list", "--department", "Mathematics", "--json");

        Assert.Equal(26, all.JsonLines.Count);
        Assert.NotEmpty(maths.JsonLines);
        Assert.All(maths.JsonLines, s => Assert.Equal("Mathematics", s.GetProperty("Department").GetString()));
        Assert.Contains("3 student(s), more not shown", (await Cli.RunAsync("students", "list", "--limit", "3")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outbox_shows_the_published_messages_by_topic()
    {
        var events = await Cli.RunAsync("outbox", "--topic", "StudentEvents", "--json");
        var alerts = await Cli.RunAsync("outbox", "--topic", "AdminAlerts", "--json");

        Assert.Equal(26, events.JsonLines.Count);
        Assert.All(events.JsonLines, m => Assert.Equal("created", m.GetProperty("attributes").GetProperty("ChangeType").GetProperty("StringValue").GetString()));
        Assert.Equal(3, alerts.JsonLines.Count);
        Assert.Contains("QUARANTINED", alerts.JsonLines[2].GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.Contains("29 message(s)", (await Cli.RunAsync("outbox", "--limit", "2")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_totals_what_the_functions_emitted()
    {
        var result = await Cli.RunAsync("metrics", "--json");

        var totals = result.JsonLines.ToDictionary(m => m.GetProperty("metric").GetString()!, m => m.GetProperty("sum").GetDouble());
        Assert.Equal(35, totals["StudentsReceived"]);
        Assert.Equal(26, totals["StudentsCreated"]);
        Assert.Equal(9, totals["StudentsRejected"]);
        Assert.Equal(26, totals["NotificationsPublished"]);
        Assert.Equal(2, totals["FilesProcessed"]);
        Assert.Equal(1, totals["FilesQuarantined"]);
    }

    [Fact]
    public async Task Ctrl_C_during_a_listing_stops_it_quietly_with_130()
    {
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();

        var result = await Cli.RunRawAsync(["students", "list", "--json", "--data-dir", Cli.DataDir], stop: stop.Token);

        Assert.Equal(130, result.Exit);
        Assert.Empty(result.Error);
    }

    [Theory]
    [InlineData("files")]
    [InlineData("students", "list")]
    [InlineData("outbox")]
    [InlineData("metrics")]
    public async Task Queries_on_a_folder_with_nothing_ingested_say_so_and_create_nothing(params string[] args)
    {
        using var empty = new CliFixture();

        var result = await empty.RunAsync(args);

        Assert.Equal(0, result.Exit);
        Assert.Contains("nothing has been ingested", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(empty.DataDir));
    }
}
