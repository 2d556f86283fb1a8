using Ingestion.Testing;

namespace Ingestion.Cli.Tests.Commands;

public sealed class SyncAndWatchCommandTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Incoming => Path.Combine(_cli.DataDir, "s3", "ingestion", "incoming");

    [Fact]
    public async Task Sync_ingests_what_was_left_in_incoming()
    {
        Directory.CreateDirectory(Incoming);
        File.Copy(CliFixture.TestData("students.json"), Path.Combine(Incoming, "students.json"));

        var result = await _cli.RunAsync("sync", "--grace", "0", "--json");

        Assert.Equal(0, result.Exit);
        var sync = Assert.Single(result.JsonLines);
        Assert.Equal("SUCCEEDED", sync.GetProperty("status").GetString());
        Assert.Equal((1, 1, 0), (sync.GetProperty("total").GetInt32(), sync.GetProperty("stale").GetInt32(), sync.GetProperty("failed").GetInt32()));
        Assert.Equal(0, (await _cli.RunAsync("students", "get", "S-1001")).Exit);
    }

    [Fact]
    public async Task Sync_names_the_files_whose_names_cannot_be_keys_instead_of_passing_them_by()
    {
        Directory.CreateDirectory(Incoming);
        File.Copy(CliFixture.TestData("students.json"), Path.Combine(Incoming, "students.json"));
        File.WriteAllText(Path.Combine(Incoming, "line\nbreak.json"), "[]");
        // .NET can neither write nor delete a name that is not UTF-8; the shell can (byte 0xFF is never valid UTF-8).
        using (var shell = System.Diagnostics.Process.Start("sh", ["-c", "printf '[]' > \"$1/$(printf '\\377')bad.json\"", "sh", Incoming])!)
        {
            await shell.WaitForExitAsync();
            Assert.Equal(0, shell.ExitCode);
        }

        var result = await _cli.RunAsync("sync", "--grace", "0", "--json");
        using (var cleanup = System.Diagnostics.Process.Start("sh", ["-c", "rm \"$1\"/*bad.json", "sh", Incoming])!)
        {
            await cleanup.WaitForExitAsync(); // before any assertion: the fixture cannot delete the name itself
        }

        Assert.Equal(0, result.Exit);
        Assert.Equal(1, Assert.Single(result.JsonLines).GetProperty("total").GetInt32());
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("incoming/line\\u000abreak.json: not ingested: The name cannot be an S3 key (the key contains a control character)", lines[0], StringComparison.Ordinal);
        Assert.Equal("incoming/\uFFFDbad.json: not ingested: " + Ingestion.Local.Watching.IncomingProblems.NotUtf8, lines[1]);
    }

    [Fact]
    public async Task Sync_publishes_a_digest_the_outbox_shows_with_the_night_s_rejections_by_reason_and_their_spreadsheets()
    {
        Directory.CreateDirectory(Incoming);
        File.Copy(CliFixture.TestData("students-mixed.json"), Path.Combine(Incoming, "students-mixed.json"));
        File.Copy(CliFixture.TestData("students-mixed.csv"), Path.Combine(Incoming, "students-mixed.csv"));

        var sync = await _cli.RunAsync("sync", "--grace", "0");
        var outbox = await _cli.RunAsync("outbox", "--topic", "AdminAlerts", "--limit", "1", "--full");

        Assert.Equal(0, sync.Exit);
        Assert.Contains($"went to AdminAlerts: ingest outbox --topic AdminAlerts --limit 1 --full --data-dir {_cli.DataDir}", sync.Out, StringComparison.Ordinal);
        Assert.Equal(0, outbox.Exit);
        Assert.Matches(@"^#[\d,]+ AdminAlerts, \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\nSubject: Ingestion nightly sync: 2 leftover file\(s\), \d+ records rejected\nNightly sync of ", outbox.Out);
        var message = outbox.Out;
        var rejected = 0L;
        foreach (var name in new[] { "students-mixed.json", "students-mixed.csv" })
        {
            using var document = System.Text.Json.JsonDocument.Parse((await _cli.RunAsync("report", name, "--json")).Out);
            var report = document.RootElement;
            var count = report.GetProperty("counts").GetProperty("rejected").GetInt64();
            rejected += count;
            Assert.Contains($"  {name}, {count} rejected: s3://ingestion/{report.GetProperty("rejections").GetString()}\n", message, StringComparison.Ordinal);
        }

        Assert.Contains($"Rejected records by reason, over the 2 file(s) with rejections ({rejected} records;", message, StringComparison.Ordinal);
        Assert.Matches(@"\nCommonest: [A-Z_]+( \(\w+\))? \(\d+, e\.g\. students-mixed\.(json|csv) row \d+\); ", message);
        Assert.DoesNotContain('{', message);
    }

    [Fact]
    public async Task The_outbox_prints_each_message_whole_its_subject_then_its_text()
    {
        Directory.CreateDirectory(Incoming);
        File.Copy(CliFixture.TestData("students-mixed.json"), Path.Combine(Incoming, "students-mixed.json"));
        Assert.Equal(0, (await _cli.RunAsync("sync", "--grace", "0")).Exit);

        var full = await _cli.RunAsync("outbox", "--topic", "AdminAlerts", "--full");
        var both = await _cli.RunAsync("outbox", "--json", "--full");

        Assert.Equal(0, full.Exit);
        Assert.Equal(2, full.Out.Split('\n').Count(line => line.StartsWith("Subject: ", StringComparison.Ordinal)));
        Assert.Contains("\nSubject: Ingestion: students-mixed.json SUCCEEDED (15 received, 9 rejected) CHECK FILE\n", full.Out, StringComparison.Ordinal);
        Assert.Equal(2, both.Exit);
    }

    [Fact]
    public async Task Sync_leaves_a_young_file_to_its_own_event()
    {
        Directory.CreateDirectory(Incoming);
        File.Copy(CliFixture.TestData("students.json"), Path.Combine(Incoming, "students.json"));
        File.SetLastWriteTimeUtc(Path.Combine(Incoming, "students.json"), DateTime.UtcNow); // a copy keeps the original's time

        var result = await _cli.RunAsync("sync");

        Assert.Equal(0, result.Exit);
        Assert.Contains("1 file(s) in incoming/, 0 older than", result.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Incoming, "students.json")));
    }

    [Fact]
    public async Task Watch_ingests_a_dropped_file_and_stops_cleanly_on_request()
    {
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var host = new CliHost { Out = new NotifyingWriter(output, stop), Error = new StringWriter(), GetVariable = _ => null };
        var watching = CliRunner.InvokeAsync(["watch", "--settle", "0.05", "--json", "--data-dir", _cli.DataDir], host, stop.Token);
        Directory.CreateDirectory(Incoming);
        File.Copy(CliFixture.TestData("students-mixed.jsonl"), Path.Combine(Incoming, ".students-mixed.jsonl.part"));
        File.Move(Path.Combine(Incoming, ".students-mixed.jsonl.part"), Path.Combine(Incoming, "students-mixed.jsonl"));

        var exit = await watching.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, exit);
        var line = System.Text.Json.JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal(("incoming/students-mixed.jsonl", "SUCCEEDED", SampleBatches.Of("students-mixed.jsonl").Received), (line.GetProperty("key").GetString(), line.GetProperty("status").GetString(), line.GetProperty("received").GetInt64()));
    }
}
