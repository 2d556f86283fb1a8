using System.Text.Json;
using Ingestion.Local.Tests.Support;

namespace Ingestion.Local.Tests.Pipeline;

/// <summary>The real NightlySync definition: leftovers in incoming/ go through IngestFile by startExecution.sync:2.</summary>
public sealed class NightlySyncTests : IAsyncLifetime
{
    private TestPipeline _test = null!;

    private LocalPipeline Pipeline => _test.Pipeline;

    public Task InitializeAsync()
    {
        _test = TestPipeline.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _test.DisposeAsync();

    [Fact]
    public async Task A_file_left_in_incoming_is_ingested_and_a_younger_one_is_left_to_its_own_event()
    {
        await LeaveAsync("students.json", age: TimeSpan.FromHours(2));
        await LeaveAsync("students-mixed.jsonl", age: TimeSpan.Zero);

        var sync = await Pipeline.SyncAsync(graceSeconds: 3600);

        Assert.True(sync.Succeeded, $"{sync.Error}: {sync.Cause}");
        Assert.Equal((2L, 1L, 0L), (sync.Files, sync.StaleFiles, sync.FailedFiles));
        Assert.Equal(20, (await _test.StudentsAsync()).Count);
        Assert.NotNull(await Pipeline.Objects.HeadAsync(LocalPipeline.Bucket, "archive/students.json"));
        Assert.NotNull(await Pipeline.Objects.HeadAsync(LocalPipeline.Bucket, "incoming/students-mixed.jsonl"));
        var digest = (await _test.OutboxAsync("AdminAlerts")).Last();
        Assert.Equal("Ingestion nightly sync: 1 leftover file(s)", digest.Subject);
        Assert.Contains("Files found in incoming/: 2. Older than the grace period (3600 s) and ingested again: 1. Of those, failed: 0.", digest.Message, StringComparison.Ordinal);
        Assert.Contains("The 1 file(s) ingested to the end received 20 students: 20 created,", digest.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("by reason,", digest.Message, StringComparison.Ordinal);
        // Locally the bucket is a folder: no S3 console link, as in each file's own e-mail.
        Assert.EndsWith($"under s3://{LocalPipeline.Bucket}/reports/<file name>/.\n", digest.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('{', digest.Message);
        Assert.Contains("\"StaleFiles\":1", File.ReadAllText(Pipeline.Data.MetricsLog), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Syncing_again_finds_nothing_left_to_do()
    {
        await LeaveAsync("students.json", age: TimeSpan.FromHours(2));
        await Pipeline.SyncAsync(graceSeconds: 3600);
        var messages = await Pipeline.Outbox.CountAsync(Pipeline.Resources.StudentEventsTopicArn);

        var again = await Pipeline.SyncAsync(graceSeconds: 0);

        Assert.True(again.Succeeded);
        Assert.Equal(0, again.Files);
        Assert.Equal(messages, await Pipeline.Outbox.CountAsync(Pipeline.Resources.StudentEventsTopicArn));
    }

    [Fact]
    public async Task A_leftover_file_that_can_never_be_ingested_is_quarantined()
    {
        await using (var content = new MemoryStream("not students"u8.ToArray()))
        {
            await Pipeline.PutIncomingAsync("notes.txt", content);
        }

        var sync = await Pipeline.SyncAsync(graceSeconds: 0);

        Assert.True(sync.Succeeded);
        // The definition retries a failed IngestFile; the retry finds the object quarantined already (MISSING).
        Assert.Equal(1, sync.Files);
        Assert.Null(await Pipeline.Objects.HeadAsync(LocalPipeline.Bucket, "incoming/notes.txt"));
        Assert.NotNull(await Pipeline.Objects.HeadAsync(LocalPipeline.Bucket, "quarantine/notes.txt"));
        Assert.Equal("QUARANTINED", (await _test.ReportAsync("notes.txt")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_backlog_of_1200_files_with_long_keys_is_synced_and_summarised_in_counts()
    {
        // 1,200 files, each key 200 bytes: their keys alone are 240 KB, which no Step Functions payload could carry twice.
        const int files = 1_200;
        var names = Enumerable.Range(0, files).Select(i => $"{i:D5}-{new string('k', 200 - "incoming/".Length - 6 - ".json".Length)}.json").ToList();
        Assert.All(names, n => Assert.Equal(200, ("incoming/" + n).Length));
        foreach (var name in names)
        {
            await using var content = new MemoryStream("[]"u8.ToArray());
            await Pipeline.PutIncomingAsync(name, content);
        }

        // Younger than the grace period: RegisterFile leaves each to its own event, so the test runs no ingestion.
        var sync = await Pipeline.SyncAsync(graceSeconds: 3600);

        Assert.True(sync.Succeeded, $"{sync.Error}: {sync.Cause}");
        Assert.Equal((files, 0L, 0L), (sync.Files, sync.StaleFiles, sync.FailedFiles));
        var digest = (await _test.OutboxAsync("AdminAlerts")).Last();
        Assert.Equal("Ingestion nightly sync: 0 leftover file(s)", digest.Subject);
        Assert.Contains("Files found in incoming/: 1200. Older than the grace period (3600 s) and ingested again: 0.", digest.Message, StringComparison.Ordinal);
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(digest.Message), 1, 1024);
    }

    [Fact]
    public async Task The_digest_adds_up_the_night_s_rejections_by_reason_names_the_commonest_and_says_where_each_spreadsheet_is()
    {
        await LeaveAsync("students-mixed.json", age: TimeSpan.FromHours(2));
        await LeaveAsync("students-mixed.csv", age: TimeSpan.FromHours(2));

        var sync = await Pipeline.SyncAsync(graceSeconds: 3600);

        Assert.True(sync.Succeeded, $"{sync.Error}: {sync.Cause}");
        Assert.Equal((2L, 2L, 0L), (sync.Files, sync.StaleFiles, sync.FailedFiles));
        var digest = (await _test.OutboxAsync("AdminAlerts")).Last();
        var message = digest.Message;
        var reports = new Dictionary<string, JsonElement>
        {
            ["students-mixed.json"] = await _test.ReportAsync("students-mixed.json"),
            ["students-mixed.csv"] = await _test.ReportAsync("students-mixed.csv"),
        };

        // What each file's own report says, added up: the digest must say the same.
        var rejected = reports.Values.Sum(r => r.GetProperty("counts").GetProperty("rejected").GetInt64());
        var reasons = reports
            .SelectMany(r => r.Value.GetProperty("summary").EnumerateArray().Select(reason => (
                File: r.Key,
                Label: reason.TryGetProperty("field", out var field) && field.ValueKind == JsonValueKind.String ? $"{reason.GetProperty("code").GetString()} ({field.GetString()})" : reason.GetProperty("code").GetString()!,
                Count: reason.GetProperty("count").GetInt64(),
                Row: reason.GetProperty("exampleRow").GetInt64())))
            .GroupBy(r => r.Label)
            .Select(g => (Label: g.Key, Count: g.Sum(r => r.Count), Examples: g.Select(r => $"e.g. {r.File} row {r.Row}").ToList()))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Label, StringComparer.Ordinal)
            .ToList();
        Assert.True(reports.Values.All(r => r.GetProperty("counts").GetProperty("rejected").GetInt64() > 0), "both files have rejections");
        Assert.Contains($"over the 2 file(s) with rejections ({rejected} records;", message, StringComparison.Ordinal);
        foreach (var (label, count, examples) in reasons.Take(10))
        {
            Assert.Contains(examples, example => message.Contains($"\n  {label}: {count}, {example}\n", StringComparison.Ordinal));
        }

        var commonest = message.Split('\n').Single(line => line.StartsWith("Commonest: ", StringComparison.Ordinal));
        Assert.StartsWith($"Commonest: {reasons[0].Label} ({reasons[0].Count}, e.g. ", commonest, StringComparison.Ordinal);
        Assert.Equal(3, commonest.Split("; ").Length);
        foreach (var (name, report) in reports)
        {
            var counted = report.GetProperty("counts").GetProperty("rejected").GetInt64();
            Assert.Contains($"  {name}, {counted} rejected: s3://{LocalPipeline.Bucket}/{report.GetProperty("rejections").GetString()}\n", message, StringComparison.Ordinal);
        }

        Assert.Equal($"Ingestion nightly sync: 2 leftover file(s), {rejected} records rejected", digest.Subject);
        Assert.DoesNotContain('{', message);
        Assert.DoesNotContain('}', message);
    }

    /// <summary>Puts a file into incoming/ without an event, as a missed event leaves it, last modified <paramref name="age"/> ago.</summary>
    private async Task LeaveAsync(string name, TimeSpan age)
    {
        await using (var content = File.OpenRead(TestPipeline.TestData(name)))
        {
            await Pipeline.PutIncomingAsync(name, content);
        }

        if (age > TimeSpan.Zero)
        {
            File.SetLastWriteTimeUtc(Pipeline.Data.BucketPath(LocalPipeline.Bucket, "incoming/" + name), DateTime.UtcNow - age);
        }
    }
}
