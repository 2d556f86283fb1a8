using System.Text;
using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Functions.Telemetry;
using Ingestion.Functions.Tests.Support;
using Ingestion.Testing;

namespace Ingestion.Functions.Tests.Functions;

/// <summary>The four handlers end to end on the testdata files, with real SQLite and folder storage in a temp folder.</summary>
public sealed class PipelineTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ManualClock _clock = new();
    private readonly LocalRun _run;

    public PipelineTests()
    {
        _run = new LocalRun(_folder, _clock);
    }

    private static byte[] TestData(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "testdata", name));

    private static (long Received, long Created, long Rejected, long Failed) Counts(JsonElement summary)
    {
        var counts = DomainJson.ReadRunCounts(summary.GetProperty("counts"));
        return (counts.Received, counts.Created, counts.Rejected, counts.Failed);
    }

    private static void AssertBalanced(JsonElement counts) => Assert.True(DomainJson.ReadRunCounts(counts).IsBalanced, counts.GetRawText());

    public static TheoryData<string> SucceedingSampleBatches() => [.. SampleBatches.Succeeding.Select(batch => batch.File)];

    [Theory]
    [MemberData(nameof(SucceedingSampleBatches))]
    public async Task Testdata_files_give_the_counts_their_README_states(string name)
    {
        var (_, _, received, created, rejected) = SampleBatches.Of(name);
        var (registration, summary) = await _run.IngestAsync(name, TestData(name));

        Assert.Equal("REGISTERED", registration.GetProperty("status").GetString());
        Assert.Equal("SUCCEEDED", summary!.Value.GetProperty("status").GetString());
        Assert.Equal((received, created, rejected, 0L), Counts(summary.Value));
        AssertBalanced(summary.Value.GetProperty("counts"));
        var report = await _run.ReportAsync(summary.Value);
        Assert.Equal(rejected, report.GetProperty("rejected").GetArrayLength());
        Assert.Equal(created, _run.Notifications.Count);
        Assert.Equal(created, await _run.Store.ListAsync().CountAsync());
    }

    [Fact]
    public async Task A_run_archives_the_file_reports_it_and_completes_the_ledger()
    {
        var (registration, summary) = await _run.IngestAsync("students-mixed.json", TestData("students-mixed.json"));

        Assert.Null(await _run.Objects.HeadAsync(LocalRun.Bucket, "incoming/students-mixed.json"));
        Assert.NotNull(await _run.Objects.HeadAsync(LocalRun.Bucket, "archive/students-mixed.json"));
        var file = registration.GetProperty("file");
        var version = file.GetProperty("versionId").GetString()!;
        var reportKey = summary!.Value.GetProperty("reportKey").GetString()!;
        Assert.StartsWith("reports/students-mixed.json/", reportKey, StringComparison.Ordinal);
        Assert.EndsWith($"-{version}.report.json", reportKey, StringComparison.Ordinal);
        var entry = await _run.Ledger.GetAsync(LocalRun.Bucket, "incoming/students-mixed.json", version);
        Assert.Equal(FileStatus.Succeeded, entry!.Status);
        var expected = SampleBatches.Of("students-mixed.json");
        Assert.Equal((expected.Received, expected.Rejected, expected.Created), (entry.Counts!.Received, entry.Counts.Rejected, entry.Counts.Notified));
        Assert.Equal(reportKey, entry.ReportKey);
        Assert.StartsWith($"Ingestion: students-mixed.json SUCCEEDED ({expected.Received} received, {expected.Rejected} rejected)", summary.Value.GetProperty("subject").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_report_lists_every_rejected_record_with_its_reasons()
    {
        var (_, summary) = await _run.IngestAsync("students-mixed.json", TestData("students-mixed.json"));

        var rejected = (await _run.ReportAsync(summary!.Value)).GetProperty("rejected").EnumerateArray()
            .ToDictionary(r => r.GetProperty("index").GetInt64(), r => r.GetProperty("reasons").EnumerateArray().Select(x => x.GetProperty("code").GetString()).ToList());

        Assert.Equal([2L, 4, 5, 7, 8, 10, 11, 12, 13], rejected.Keys.Order());
        Assert.Equal(["MISSING_FIELD"], rejected[2]);
        Assert.Equal(["NOT_AN_OBJECT"], rejected[10]);
        Assert.Equal(["DUPLICATE_FIELD"], rejected[12]);
        Assert.Equal(["STUDENT_ID_TOO_LONG", "EMAIL_INVALID"], rejected[13]);
        var report = await _run.ReportAsync(summary.Value);
        Assert.DoesNotContain("annie.easley(at)example.edu", report.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_export_again_is_all_unchanged_and_notifies_nobody()
    {
        await _run.IngestAsync("students.json", TestData("students.json"));
        _run.Notifications.Clear();
        _clock.Advance(TimeSpan.FromDays(1));

        var (_, summary) = await _run.IngestAsync("students.json", TestData("students.json"));

        var counts = summary!.Value.GetProperty("counts");
        Assert.Equal((20, 0, 0), (counts.GetProperty("unchanged").GetInt32(), counts.GetProperty("created").GetInt32(), counts.GetProperty("notified").GetInt32()));
        Assert.Empty(_run.Notifications);
    }

    [Fact]
    public async Task A_newer_export_that_changes_three_students_notifies_exactly_those()
    {
        await _run.IngestAsync("students.json", TestData("students.json"));
        _run.Notifications.Clear();
        var students = JsonDocument.Parse(TestData("students.json")).RootElement.EnumerateArray().Select(s => s.GetRawText()).ToList();
        foreach (var i in new[] { 2, 7, 15 })
        {
            students[i] = students[i].Replace("\"Year\": ", "\"Year\": 1", StringComparison.Ordinal);
        }

        // The files are written at the machine's time, after the test's clock: each is taken as exported now, so the
        // newer export must come later on that clock.
        _clock.Advance(TimeSpan.FromMinutes(1));
        var (_, summary) = await _run.IngestAsync("students.json", Encoding.UTF8.GetBytes("[" + string.Join(",", students) + "]"));

        Assert.Equal(3, summary!.Value.GetProperty("counts").GetProperty("updated").GetInt32());
        Assert.Equal(["S-1003", "S-1008", "S-1016"], _run.Notifications.Select(n => JsonDocument.Parse(n.GetProperty("Message").GetString()!).RootElement.GetProperty("studentId").GetString()).Order());
        Assert.All(_run.Notifications, n => Assert.Equal("updated", n.GetProperty("MessageAttributes").GetProperty("ChangeType").GetProperty("StringValue").GetString()));
    }

    [Fact]
    public async Task Records_of_failed_batches_are_listed_as_failed_and_the_run_fails()
    {
        var (_, summary) = await _run.IngestAsync("students.json", TestData("students.json"), batchSize: 5, failBatch: b => b == 1);

        Assert.Equal("FAILED", summary!.Value.GetProperty("status").GetString());
        Assert.Equal((20L, 15L, 0L, 5L), Counts(summary.Value));
        AssertBalanced(summary.Value.GetProperty("counts"));
        var failed = (await _run.ReportAsync(summary.Value)).GetProperty("failed").EnumerateArray().ToList();
        Assert.Equal([5L, 6, 7, 8, 9], failed.Select(f => f.GetProperty("index").GetInt64()));
        Assert.Equal("S-1006", failed[0].GetProperty("studentId").GetString());
        Assert.Equal(("Lambda.ServiceException", "boom"), (failed[0].GetProperty("error").GetString(), failed[0].GetProperty("cause").GetString()));
        Assert.Contains("5 failed", summary.Value.GetProperty("subject").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admins_subject_of_a_failed_run_with_a_long_non_ascii_name_is_what_sns_accepts()
    {
        const string name = "Étudiants inscrits – semestre d'automne 2026 – 中文 😀 export complet du registraire.json";

        var (_, summary) = await _run.IngestAsync(name, TestData("students.json"), batchSize: 5, failBatch: b => b == 1);

        // SNS: less than 100 characters, no line breaks or control characters; ASCII for e-mail subscribers.
        var subject = summary!.Value.GetProperty("subject").GetString()!;
        Assert.InRange(subject.Length, 1, 99);
        Assert.All(subject, c => Assert.InRange(c, ' ', '~'));
        Assert.StartsWith("Ingestion: ?tudiants inscrits ? semestre", subject, StringComparison.Ordinal);
        Assert.EndsWith("... FAILED (20 received, 0 rejected, 5 failed)", subject, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, false)] // results cut into several files, as the ResultWriter cuts a large run's
    [InlineData(1, true)] // WriterConfig Transformation COMPACT: a succeeded batch's entry is its output alone
    public async Task Result_files_however_written_give_the_report_one_file_of_whole_records_gives(int filesPerGroup, bool compact)
    {
        static async Task<JsonElement> ReportOf(int filesPerGroup, bool compact)
        {
            using var elsewhere = new TempFolder();
            using var other = new LocalRun(elsewhere, new ManualClock()) { ResultFilesPerGroup = filesPerGroup, CompactResults = compact };
            var (_, summary) = await other.IngestAsync("students-mixed.json", TestData("students-mixed.json"), batchSize: 2, failBatch: b => b is 1 or 4);
            return await other.ReportAsync(summary!.Value);
        }

        var reference = await ReportOf(1, compact: false);
        var report = await ReportOf(filesPerGroup, compact);

        Assert.Equal(reference.GetProperty("counts").GetRawText(), report.GetProperty("counts").GetRawText());
        Assert.Equal(reference.GetProperty("rejected").GetRawText(), report.GetProperty("rejected").GetRawText());
        Assert.Equal(reference.GetProperty("failed").GetRawText(), report.GetProperty("failed").GetRawText());
        Assert.NotEmpty(report.GetProperty("rejected").EnumerateArray());
        Assert.Equal(4, report.GetProperty("failed").GetArrayLength());
        Assert.True(report.GetProperty("counts").GetProperty("created").GetInt64() > 0);
    }

    [Fact]
    public async Task An_unparseable_file_is_quarantined_with_a_report_naming_the_position()
    {
        var (registration, summary) = await _run.IngestAsync("unparseable.json", TestData("unparseable.json"));

        Assert.Equal("QUARANTINED", summary!.Value.GetProperty("status").GetString());
        Assert.NotNull(await _run.Objects.HeadAsync(LocalRun.Bucket, "quarantine/unparseable.json"));
        Assert.Null(await _run.Objects.HeadAsync(LocalRun.Bucket, "incoming/unparseable.json"));
        var report = await _run.ReportAsync(summary.Value);
        Assert.Equal("States.ItemReaderFailed", report.GetProperty("error").GetProperty("Error").GetString());
        Assert.Contains("LineNumber", report.GetProperty("error").GetProperty("Cause").GetString(), StringComparison.Ordinal);
        var entry = await _run.Ledger.GetAsync(LocalRun.Bucket, "incoming/unparseable.json", registration.GetProperty("file").GetProperty("versionId").GetString()!);
        Assert.Equal(FileStatus.Quarantined, entry!.Status);
        Assert.Empty(await _run.Store.ListAsync().ToListAsync());
        Assert.Contains("could not be read", summary.Value.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_RegisterFile_rejected_is_quarantined_from_the_event_alone()
    {
        var put = await _run.Objects.PutAsync(LocalRun.Bucket, "incoming/students.xlsx", new MemoryStream([1, 2, 3]));
        const string Error = """{"Error":"FileRejectedException","Cause":"'students.xlsx' is not a .json, .jsonl, .ndjson or .csv file."}""";
        var state = LocalRun.ObjectCreatedEvent("incoming/students.xlsx", 3, put.VersionId).TrimEnd()[..^1] + $$""","error":{{Error}} }""";

        var summary = await LocalRun.CallAsync(_run.Summarize.HandleAsync, $$"""{"mode":"quarantine","executionName":"exec-x","error":{{Error}},"state":{{state}} }""");

        Assert.Equal("QUARANTINED", summary.GetProperty("status").GetString());
        Assert.NotNull(await _run.Objects.HeadAsync(LocalRun.Bucket, "quarantine/students.xlsx"));
        Assert.Equal(FileStatus.Quarantined, (await _run.Ledger.GetAsync(LocalRun.Bucket, "incoming/students.xlsx", put.VersionId!))!.Status);
        var report = await _run.ReportAsync(summary);
        Assert.Equal("FileRejectedException", report.GetProperty("error").GetProperty("Error").GetString());
        Assert.Equal($"reports/students.xlsx/20261124T020000000Z-{put.VersionId}.report.json", summary.GetProperty("reportKey").GetString());
    }

    [Fact]
    public async Task Run_metrics_follow_the_EMF_specification()
    {
        await _run.IngestAsync("students-mixed.json", TestData("students-mixed.json"));

        var lines = _run.Metrics.Lines;
        Assert.Equal([1d], Emf.Values(lines, MetricNames.FilesProcessed));
        Assert.Equal([15d], Emf.Values(lines, MetricNames.StudentsReceived));
        Assert.Equal([9d], Emf.Values(lines, MetricNames.StudentsRejected));
        Assert.Equal([0d], Emf.Values(lines, MetricNames.StudentsFailed));
        Assert.Equal([6d], Emf.Values(lines, MetricNames.NotificationsPublished));
        Assert.Equal(6d, Emf.Values(lines, MetricNames.StudentsCreated).Sum());
        Assert.Equal(3, Emf.Values(lines, MetricNames.BatchDuration).Count);
        Assert.All(lines, l => Assert.Equal("StudentIngestion", Emf.AssertValid(l).GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Namespace").GetString()));
    }

    [Fact]
    public async Task Logs_never_carry_names_or_email_addresses_in_clear()
    {
        await _run.IngestAsync("students-mixed.json", TestData("students-mixed.json"));
        await _run.IngestAsync("students.json", TestData("students.json"));

        var logs = string.Join("\n", _run.Logs.Lines);
        Assert.NotEmpty(_run.Logs.Lines);
        Assert.All(_run.Logs.Lines, l => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(l).RootElement.ValueKind));
        foreach (var secret in new[] { "ada.lovelace@example.edu", "Ada Lovelace", "Barbara Liskov", "barbara.liskov@example.edu" })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    public void Dispose()
    {
        _run.Dispose();
        _folder.Dispose();
    }
}
