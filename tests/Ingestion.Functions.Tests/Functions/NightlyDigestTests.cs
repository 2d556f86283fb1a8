using System.Text;
using System.Text.Json;
using Ingestion.Functions.Tests.Support;
using Ingestion.Testing;

namespace Ingestion.Functions.Tests.Functions;

/// <summary>SummarizeRun's digest mode: NightlySync's map results (one entry per object) added up into the nightly digest.</summary>
public sealed class NightlyDigestTests : IDisposable
{
    private const string Region = "eu-west-1";
    /// <summary>Two addresses without an '@': EMAIL_INVALID (Email), a reason students-mixed.json has twice too.</summary>
    private static readonly byte[] InvalidEmails = Encoding.UTF8.GetBytes("StudentID,Name,Department,Email\nS1,Ann,Maths,ann.x.edu\nS2,Bo,Physics,bo.x.edu\nS3,Cy,Maths,cy@x.edu\n");

    private readonly TempFolder _folder = new();
    private readonly LocalRun _run;

    public NightlyDigestTests()
    {
        _run = new LocalRun(_folder, new ManualClock(), Region);
    }

    [Fact]
    public async Task Two_files_with_rejections_are_summed_by_reason_with_the_commonest_and_each_spreadsheet_s_URI_and_console_link()
    {
        var (_, csv) = await _run.IngestAsync("students.csv", InvalidEmails);
        var (_, json) = await _run.IngestAsync("students-mixed.json", File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "testdata", "students-mixed.json")));
        var files = new[] { csv!.Value, json!.Value };

        var digest = await DigestAsync(
            """{"stale":false}""",
            $$"""{"stale":true,"ingest":{{csv.Value.GetRawText()}} }""",
            $$"""{"stale":true,"ingest":{{json.Value.GetRawText()}} }""",
            """{"stale":true,"failed":true,"key":"incoming/cut-off.json","error":"States.TaskFailed"}""");

        var message = digest.GetProperty("message").GetString()!;
        Assert.Equal((4L, 3L, 1L), (digest.GetProperty("total").GetInt64(), digest.GetProperty("stale").GetInt64(), digest.GetProperty("failed").GetInt64()));
        var rejected = files.Sum(f => f.GetProperty("counts").GetProperty("rejected").GetInt64());
        var received = files.Sum(f => f.GetProperty("counts").GetProperty("received").GetInt64());
        Assert.Contains($"The 2 file(s) ingested to the end received {received} students:", message, StringComparison.Ordinal);
        Assert.Contains($"{rejected} rejected, 0 failed.", message, StringComparison.Ordinal);

        // Each file's summary by reason (what SummarizeRun returned for it), added up per reason.
        var sums = files
            .SelectMany(f => f.GetProperty("summary").EnumerateArray())
            .GroupBy(r => (Code: r.GetProperty("code").GetString()!, Field: r.TryGetProperty("field", out var field) ? field.GetString() : null))
            .Select(g => (g.Key.Code, g.Key.Field, Count: g.Sum(r => r.GetProperty("count").GetInt64())))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Code, StringComparer.Ordinal).ThenBy(r => r.Field, StringComparer.Ordinal)
            .ToList();
        Assert.Contains(sums, s => files.Count(f => f.GetProperty("summary").EnumerateArray().Any(r => r.GetProperty("code").GetString() == s.Code && (r.TryGetProperty("field", out var x) ? x.GetString() : null) == s.Field)) == 2);
        foreach (var (code, field, count) in sums.Take(10))
        {
            Assert.Contains($"\n  {(field is null ? code : $"{code} ({field})")}: {count}, e.g. ", message, StringComparison.Ordinal);
        }

        var top = sums[0];
        var topFile = files.OrderByDescending(f => Count(f, top.Code, top.Field)).ThenBy(f => f.GetProperty("key").GetString(), StringComparer.Ordinal).First();
        var example = $"e.g. {Path.GetFileName(topFile.GetProperty("key").GetString())} row {Row(topFile, top.Code, top.Field)}";
        Assert.Contains($"Commonest: {(top.Field is null ? top.Code : $"{top.Code} ({top.Field})")} ({top.Count}, {example}); ", message, StringComparison.Ordinal);

        foreach (var file in files)
        {
            var key = file.GetProperty("rejectionsKey").GetString()!;
            Assert.Contains($"  {Path.GetFileName(file.GetProperty("key").GetString())}, {file.GetProperty("counts").GetProperty("rejected").GetInt64()} rejected: s3://{LocalRun.Bucket}/{key}\n", message, StringComparison.Ordinal);
            Assert.Contains($"    https://s3.console.aws.amazon.com/s3/object/{LocalRun.Bucket}?region={Region}&prefix={Uri.EscapeDataString(key)}\n", message, StringComparison.Ordinal);
        }

        Assert.Contains("Failed files, left in incoming/ for the next sync to retry", message, StringComparison.Ordinal);
        Assert.Contains("\n  incoming/cut-off.json\n", message, StringComparison.Ordinal);
        Assert.Contains($"in the S3 console at https://s3.console.aws.amazon.com/s3/buckets/{LocalRun.Bucket}?region={Region}&prefix=reports%2F.", message, StringComparison.Ordinal);
        Assert.Equal($"Ingestion nightly sync: 3 leftover file(s), 1 failed, {rejected} records rejected", digest.GetProperty("subject").GetString());
        Assert.DoesNotContain('{', message);
        Assert.DoesNotContain('}', message);
    }

    [Fact]
    public async Task A_backlog_names_the_files_with_the_most_rejections_and_counts_the_rest()
    {
        // 60 files with rejections, keys of 200 bytes: the digest names 20 and stays a short e-mail.
        var entries = Enumerable.Range(1, 60).Select(i =>
        {
            var name = $"{i:D3}-{new string('k', 180)}.csv";
            return $$"""{"stale":true,"ingest":{"status":"SUCCEEDED","key":"incoming/{{name}}","reportKey":"reports/{{name}}/r.report.json","rejectionsKey":"reports/{{name}}/r.rejections.csv","counts":{"received":{{100 + i}},"created":100,"updated":0,"unchanged":0,"replayed":0,"stale":0,"rejected":{{i}},"failed":0,"notified":100},"subject":"s","message":"m","summary":[{"code":"EMAIL_INVALID","field":"Email","count":{{i}},"exampleRow":{{i + 1}}}]} }""";
        });

        var digest = await DigestAsync([.. entries]);

        var message = digest.GetProperty("message").GetString()!;
        var listed = message.Split('\n').Where(line => line.Contains(" rejected: s3://", StringComparison.Ordinal)).ToList();
        Assert.Equal(20, listed.Count);
        Assert.StartsWith("  060-", listed[0], StringComparison.Ordinal);
        Assert.StartsWith("  041-", listed[^1], StringComparison.Ordinal);
        Assert.Contains("  and 40 more file(s) with rejections", message, StringComparison.Ordinal);
        Assert.Contains($"  EMAIL_INVALID (Email): {Enumerable.Range(1, 60).Sum()}, e.g. 060-{new string('k', 180)}.csv row 61\n", message, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(message), 1, 32 * 1024);
    }

    [Fact]
    public async Task A_night_whose_map_left_no_manifest_found_no_files()
    {
        var input = $$"""{"mode":"digest","executionName":"sync-1","syncTime":"2026-11-24T02:00:00.000Z","graceSeconds":3600,"bucket":"{{LocalRun.Bucket}}","files":{"ResultWriterDetails":{"Bucket":"{{LocalRun.Bucket}}","Key":"results/nightly-sync/sync-1/none/manifest.json"} } }""";

        var digest = await LocalRun.CallAsync(_run.Summarize.HandleAsync, input);

        Assert.Equal((0L, 0L, 0L), (digest.GetProperty("total").GetInt64(), digest.GetProperty("stale").GetInt64(), digest.GetProperty("failed").GetInt64()));
        Assert.StartsWith("Nightly sync of 2026-11-24T02:00:00.000Z.\nFiles found in incoming/: 0.", digest.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _run.Dispose();
        _folder.Dispose();
    }

    private static long Count(JsonElement file, string code, string? field) => Reason(file, code, field)?.GetProperty("count").GetInt64() ?? 0;

    private static long Row(JsonElement file, string code, string? field) => Reason(file, code, field)!.Value.GetProperty("exampleRow").GetInt64();

    private static JsonElement? Reason(JsonElement file, string code, string? field) =>
        file.GetProperty("summary").EnumerateArray()
            .Where(r => r.GetProperty("code").GetString() == code && (r.TryGetProperty("field", out var f) ? f.GetString() : null) == field)
            .Select(r => (JsonElement?)r)
            .FirstOrDefault();

    /// <summary>Writes NightlySync's map results as the ResultWriter does (COMPACT: each child's output) and runs the digest over them.</summary>
    private async Task<JsonElement> DigestAsync(params string[] entries)
    {
        var manifest = await _run.WriteResultsAsync("results/nightly-sync/sync-1", [.. entries], []);
        var input = $$"""{"mode":"digest","executionName":"sync-1","syncTime":"2026-11-24T02:00:00.000Z","graceSeconds":3600,"bucket":"{{LocalRun.Bucket}}","files":{"MapRunArn":"arn:aws:states:us-east-1:111122223333:mapRun:sync/LeftoverFiles:x","ResultWriterDetails":{"Bucket":"{{LocalRun.Bucket}}","Key":"{{manifest}}"} } }""";
        return await LocalRun.CallAsync(_run.Summarize.HandleAsync, input);
    }
}
