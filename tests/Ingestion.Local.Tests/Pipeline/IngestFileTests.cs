using System.Text.Json;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Local.Tests.Support;
using Ingestion.States;
using Ingestion.Testing;

namespace Ingestion.Local.Tests.Pipeline;

/// <summary>The real IngestFile definition end to end on the sample batches: counts, rows, outbox, reports, ledger.</summary>
public sealed class IngestFileTests : IAsyncLifetime
{
    private TestPipeline _test = null!;

    private LocalPipeline Pipeline => _test.Pipeline;

    public Task InitializeAsync()
    {
        _test = TestPipeline.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _test.DisposeAsync();

    public static TheoryData<string> SucceedingSampleBatches() => [.. SampleBatches.Succeeding.Select(batch => batch.File)];

    [Theory]
    [MemberData(nameof(SucceedingSampleBatches))]
    public async Task A_sample_batch_gives_the_counts_its_README_states(string name)
    {
        var (_, _, received, created, rejected) = SampleBatches.Of(name);
        var result = await _test.IngestAsync(TestPipeline.TestData(name));

        Assert.Equal(ExecutionStatus.Succeeded, result.ExecutionStatus);
        Assert.Equal("SUCCEEDED", result.Status);
        Assert.Equal(new RunCounts(received, created, 0, 0, 0, 0, rejected, 0, created), result.Counts);
        Assert.True(result.Counts.IsBalanced);
        Assert.StartsWith($"reports/{name}/", result.ReportKey, StringComparison.Ordinal);
        Assert.EndsWith($"-{result.VersionId}.report.json", result.ReportKey, StringComparison.Ordinal);
        Assert.Equal(created, (await _test.StudentsAsync()).Count);

        var events = await _test.OutboxAsync("StudentEvents");
        Assert.Equal(created, events.Count);
        Assert.All(events, e => Assert.Contains("\"ChangeType\":{\"DataType\":\"String\",\"StringValue\":\"created\"}", e.AttributesJson, StringComparison.Ordinal));
        var admin = Assert.Single(await _test.OutboxAsync("AdminAlerts"));
        Assert.StartsWith($"Ingestion: {name} SUCCEEDED ({received} received, {rejected} rejected)", admin.Subject, StringComparison.Ordinal);

        var report = await _test.ReportAsync(name);
        Assert.Equal("SUCCEEDED", report.GetProperty("status").GetString());
        Assert.Equal(received, report.GetProperty("counts").GetProperty("received").GetInt64());
        Assert.Equal(rejected, report.GetProperty("rejected").GetArrayLength());
        Assert.Equal(0, report.GetProperty("failed").GetArrayLength());
    }

    [Fact]
    public async Task A_run_archives_the_file_and_completes_the_ledger()
    {
        var result = await _test.IngestAsync(TestPipeline.TestData("students-mixed.json"));

        Assert.Null(await Pipeline.Objects.HeadAsync(LocalPipeline.Bucket, "incoming/students-mixed.json"));
        Assert.NotNull(await Pipeline.Objects.HeadAsync(LocalPipeline.Bucket, "archive/students-mixed.json"));
        var entry = await Pipeline.Ledger.GetAsync(LocalPipeline.Bucket, "incoming/students-mixed.json", result.VersionId!);
        Assert.Equal(FileStatus.Succeeded, entry!.Status);
        Assert.Equal(result.ExecutionName, entry.ExecutionName);
        Assert.Equal(result.Counts, entry.Counts);
    }

    [Fact]
    public async Task The_report_lists_every_rejected_record_with_its_index_and_reasons()
    {
        await _test.IngestAsync(TestPipeline.TestData("students-mixed.json"));

        var rejected = (await _test.ReportAsync("students-mixed.json")).GetProperty("rejected").EnumerateArray()
            .ToDictionary(r => r.GetProperty("index").GetInt64(), r => (Id: r.GetProperty("studentId"), Codes: r.GetProperty("reasons").EnumerateArray().Select(x => x.GetProperty("code").GetString()).ToList()));

        Assert.Equal([2L, 4, 5, 7, 8, 10, 11, 12, 13], rejected.Keys.Order());
        Assert.Equal(["MISSING_FIELD"], rejected[2].Codes);
        Assert.Equal(["EMAIL_INVALID"], rejected[4].Codes);
        Assert.Equal(["STUDENT_ID_INVALID"], rejected[5].Codes);
        Assert.Equal(["EMPTY_FIELD"], rejected[7].Codes);
        Assert.Equal(["DEPARTMENT_TOO_LONG"], rejected[8].Codes);
        Assert.Equal(["NOT_AN_OBJECT"], rejected[10].Codes);
        Assert.Equal(["WRONG_TYPE"], rejected[11].Codes);
        Assert.Equal(["DUPLICATE_FIELD"], rejected[12].Codes);
        Assert.Equal(["STUDENT_ID_TOO_LONG", "EMAIL_INVALID"], rejected[13].Codes);
        Assert.Equal(JsonValueKind.Null, rejected[13].Id.ValueKind);
        Assert.Equal("S-2003", rejected[2].Id.GetString());
    }

    [Fact]
    public async Task Stored_rows_hold_the_normalised_record_and_its_source()
    {
        var result = await _test.IngestAsync(TestPipeline.TestData("students-mixed.json"));

        var numeric = await Pipeline.Students.GetAsync("2007");
        Assert.NotNull(numeric);
        Assert.Equal(("incoming/students-mixed.json", result.VersionId, 6L), (numeric.SourceKey, numeric.SourceVersion, numeric.SourceIndex));
        var lowered = await Pipeline.Students.GetAsync("S-2010");
        Assert.EndsWith("@example.edu", lowered!.Email, StringComparison.Ordinal);
        Assert.Contains("\"Year\"", (await Pipeline.Students.GetAsync("S-2001"))!.ExtrasJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_the_same_file_again_finds_every_record_unchanged_and_notifies_no_student()
    {
        await _test.IngestAsync(TestPipeline.TestData("students.json"));
        var before = await _test.StudentsAsync();

        var again = await _test.IngestAsync(TestPipeline.TestData("students.json"));

        Assert.Equal("SUCCEEDED", again.Status);
        Assert.Equal(new RunCounts(Received: 20, Unchanged: 20), again.Counts);
        Assert.Equal(20, (await _test.OutboxAsync("StudentEvents")).Count);
        Assert.Equal(before, await _test.StudentsAsync());
        // The registrar still gets the run's summary: it is about the file, not a student change.
        Assert.Equal(2, (await _test.OutboxAsync("AdminAlerts")).Count);
    }

    [Fact]
    public async Task A_newer_file_that_changes_three_students_notifies_exactly_those_three()
    {
        await _test.IngestAsync(TestPipeline.TestData("students.json"));
        var students = JsonDocument.Parse(File.ReadAllText(TestPipeline.TestData("students.json"))).RootElement.EnumerateArray().ToList();
        var changedIds = new[] { 2, 7, 19 }.Select(i => students[i].GetProperty("StudentID").GetString()!).ToHashSet();
        var edited = students.Select((s, i) => changedIds.Contains(s.GetProperty("StudentID").GetString()!)
            ? s.GetRawText().Replace(s.GetProperty("Department").GetRawText(), "\"Philosophy\"", StringComparison.Ordinal)
            : s.GetRawText());
        var newer = _test.WriteFile("students.json", "[" + string.Join(",\n", edited) + "]");

        var result = await _test.IngestAsync(newer);

        Assert.Equal(new RunCounts(Received: 20, Updated: 3, Unchanged: 17, Notified: 3), result.Counts);
        var notified = (await _test.OutboxAsync("StudentEvents")).Skip(20).ToList();
        Assert.Equal(changedIds.Order(), notified.Select(m => JsonDocument.Parse(m.Message).RootElement.GetProperty("studentId").GetString()).Order());
        Assert.All(notified, m => Assert.Contains("\"StringValue\":\"updated\"", m.AttributesJson, StringComparison.Ordinal));
        Assert.All(changedIds, id => Assert.Equal("Philosophy", Pipeline.Students.GetAsync(id).Result!.Department));
    }

    [Fact]
    public async Task The_same_event_delivered_twice_at_once_is_processed_once()
    {
        var held = new TaskCompletionSource();
        await _test.DisposeAsync();
        _test = TestPipeline.Create(options => options with
        {
            // SummarizeRun waits until the duplicate has finished, so the two really overlap.
            Functions = (name, function) => name == "SummarizeRun" ? async (input, ct) => { await held.Task; return await function(input, ct); } : function,
        });
        var info = await PutAsync("students.json");
        var objectCreated = Pipeline.ObjectCreated(info);

        var first = Pipeline.Deliver(objectCreated, info);
        var second = Pipeline.Deliver(objectCreated, info);
        var duplicate = await Task.WhenAny(first.CompleteAsync(), second.CompleteAsync());
        held.SetResult();
        var results = new[] { await first.CompleteAsync(), await second.CompleteAsync() };

        Assert.Equal("ALREADY_PROCESSED", (await duplicate).Status);
        Assert.Equal(["ALREADY_PROCESSED", "SUCCEEDED"], results.Select(r => r.Status).Order());
        Assert.Equal(RunCounts.Zero, (await duplicate).Counts);
        Assert.Equal(20, (await _test.OutboxAsync("StudentEvents")).Count);
        Assert.Single(await _test.OutboxAsync("AdminAlerts"));
    }

    [Fact]
    public async Task The_same_event_delivered_again_after_the_run_writes_nothing_and_notifies_nobody()
    {
        var info = await PutAsync("students.json");
        var objectCreated = Pipeline.ObjectCreated(info);
        await Pipeline.Deliver(objectCreated, info).CompleteAsync();
        var students = await _test.StudentsAsync();
        var messages = await Pipeline.Outbox.CountAsync();
        var ledger = await Pipeline.Ledger.GetAsync(LocalPipeline.Bucket, info.Key, info.VersionId!);

        var again = await Pipeline.Deliver(objectCreated, info).CompleteAsync();

        Assert.Equal(ExecutionStatus.Succeeded, again.ExecutionStatus);
        Assert.Equal("ALREADY_PROCESSED", again.Status);
        Assert.Equal(students, await _test.StudentsAsync());
        Assert.Equal(messages, await Pipeline.Outbox.CountAsync());
        Assert.Equal(ledger, await Pipeline.Ledger.GetAsync(LocalPipeline.Bucket, info.Key, info.VersionId!));
    }

    [Fact]
    public async Task A_truncated_file_is_quarantined_with_the_reason_in_the_ledger_the_report_and_the_alert()
    {
        var result = await _test.IngestAsync(TestPipeline.TestData("unparseable.json"));

        Assert.Equal(ExecutionStatus.Failed, result.ExecutionStatus);
        Assert.Equal("QUARANTINED", result.Status);
        Assert.Equal("FileQuarantined", result.Error);
        Assert.Empty(await _test.StudentsAsync());
        Assert.NotNull(await Pipeline.Objects.HeadAsync(LocalPipeline.Bucket, "quarantine/unparseable.json"));
        var entry = await Pipeline.Ledger.GetAsync(LocalPipeline.Bucket, "incoming/unparseable.json", result.VersionId!);
        Assert.Equal(FileStatus.Quarantined, entry!.Status);
        Assert.Equal("States.ItemReaderFailed", entry.Error!.Error);
        var report = await _test.ReportAsync("unparseable.json");
        Assert.Equal("QUARANTINED", report.GetProperty("status").GetString());
        Assert.Equal("States.ItemReaderFailed", report.GetProperty("error").GetProperty("Error").GetString());
        Assert.Contains("at line 27, column 11: ", report.GetProperty("error").GetProperty("Cause").GetString(), StringComparison.Ordinal);
        Assert.Contains("QUARANTINED", Assert.Single(await _test.OutboxAsync("AdminAlerts")).Subject, StringComparison.Ordinal);
        Assert.Empty(await _test.OutboxAsync("StudentEvents"));
    }

    [Fact]
    public async Task A_file_of_an_unsupported_kind_is_quarantined_by_RegisterFile()
    {
        var result = await _test.IngestAsync(_test.WriteFile("students.txt", "S-1,Ada"));

        Assert.Equal("QUARANTINED", result.Status);
        var report = await _test.ReportAsync("students.txt");
        Assert.Equal("FileRejectedException", report.GetProperty("error").GetProperty("Error").GetString());
        Assert.Contains("is not a .json, .jsonl, .ndjson or .csv file", report.GetProperty("error").GetProperty("Cause").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_outside_incoming_matches_no_rule()
    {
        var info = await Pipeline.Objects.PutAsync(LocalPipeline.Bucket, "elsewhere/students.json", File.OpenRead(TestPipeline.TestData("students.json")));

        Assert.Throws<InvalidOperationException>(() => Pipeline.Deliver(Pipeline.ObjectCreated(info), info));
        Assert.Empty(Pipeline.Router.Match(Pipeline.ObjectCreated(info)));
    }

    private async Task<ObjectInfo> PutAsync(string name)
    {
        await using var content = File.OpenRead(TestPipeline.TestData(name));
        return await Pipeline.PutIncomingAsync(name, content);
    }
}
