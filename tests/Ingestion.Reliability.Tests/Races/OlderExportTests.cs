using System.Text.Json;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Local;
using Ingestion.Reliability.Tests.Faults;
using Ingestion.Reliability.Tests.Support;
using Ingestion.Storage.Local.Folder;
using Ingestion.Testing;

namespace Ingestion.Reliability.Tests.Races;

/// <summary>
/// #17 point 2 through the whole pipeline: A (students in Physics) ingested; B (an hour newer, half of them moved to
/// Chemistry) left outstanding; C (an hour newer still, all of them in Physics again) ingested while B waits, so its
/// students come out unchanged; then B comes late. B's moved students are stale, C's content stays.
/// </summary>
public sealed class OlderExportTests(DynaliteServer dynalite) : IClassFixture<DynaliteServer>
{
    private const int Students = 300;

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task An_older_file_that_failed_and_is_redriven_after_a_newer_one_confirmed_its_students_leaves_the_newer_content(string backend)
    {
        var failing = false;
        var plan = new FaultPlan(seed: 17) { PermanentlyFailing = _ => failing };
        await using var scenario = await Backends.CreateAsync(backend, dynalite, options => WithFailingStore(options, plan));
        var pipeline = scenario.Pipeline;
        var now = WholeSeconds(scenario.Clock.GetUtcNow());
        var a = await DropAsync(scenario, "export-a.json", Export(_ => "Physics"), now.AddHours(-3));
        await pipeline.Deliver(pipeline.ObjectCreated(a), a).CompleteAsync();

        failing = true;
        var b = await DropAsync(scenario, "export-b.json", Export(Moved), now.AddHours(-2));
        var failed = await pipeline.Deliver(pipeline.ObjectCreated(b), b).CompleteAsync();
        plan.Clear();
        var c = await DropAsync(scenario, "export-c.json", Export(_ => "Physics"), now.AddHours(-1));
        var confirmed = await pipeline.Deliver(pipeline.ObjectCreated(c), c).CompleteAsync();
        var redriven = await (await pipeline.RedriveAsync("export-b.json")).CompleteAsync();

        Assert.Equal(("FAILED", (long)Students), (failed.Status, failed.Counts.Failed));
        Assert.Equal(new RunCounts(Received: Students, Unchanged: Students), confirmed.Counts);
        Assert.Equal(("SUCCEEDED", new RunCounts(Received: Students, Unchanged: Students / 2, Stale: Students / 2)), (redriven.Status, redriven.Counts));
        await AssertNewerContentStaysAsync(scenario, a, c);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Sync_picking_up_an_older_file_left_in_incoming_after_a_newer_one_was_ingested_leaves_the_newer_content(string backend)
    {
        await using var scenario = await Backends.CreateAsync(backend, dynalite);
        var pipeline = scenario.Pipeline;
        var now = WholeSeconds(scenario.Clock.GetUtcNow());
        var a = await DropAsync(scenario, "export-a.json", Export(_ => "Physics"), now.AddHours(-3));
        await pipeline.Deliver(pipeline.ObjectCreated(a), a).CompleteAsync();
        var b = await DropAsync(scenario, "export-b.json", Export(Moved), now.AddHours(-2)); // its event never came
        var c = await DropAsync(scenario, "export-c.json", Export(_ => "Physics"), now.AddHours(-1));

        var confirmed = await pipeline.Deliver(pipeline.ObjectCreated(c), c).CompleteAsync();
        var sync = await pipeline.SyncAsync(graceSeconds: 0);

        Assert.Equal(new RunCounts(Received: Students, Unchanged: Students), confirmed.Counts);
        Assert.Equal((true, 1L, 0L), (sync.Succeeded, sync.Files, sync.FailedFiles));
        var late = await pipeline.Ledger.GetAsync(pipeline.BucketName, b.Key, b.VersionId!);
        Assert.Equal((FileStatus.Succeeded, new RunCounts(Received: Students, Unchanged: Students / 2, Stale: Students / 2)), (late!.Status, late.Counts));
        await AssertNewerContentStaysAsync(scenario, a, c);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_newer_file_with_nothing_older_outstanding_marks_no_student(string backend)
    {
        await using var scenario = await Backends.CreateAsync(backend, dynalite);
        var pipeline = scenario.Pipeline;
        var now = WholeSeconds(scenario.Clock.GetUtcNow());
        var a = await DropAsync(scenario, "export-a.json", Export(_ => "Physics"), now.AddHours(-3));
        await pipeline.Deliver(pipeline.ObjectCreated(a), a).CompleteAsync();
        var before = await scenario.StudentsAsync();

        // The nightly re-run: the same export again, alone in incoming/.
        var c = await DropAsync(scenario, "export-c.json", Export(_ => "Physics"), now.AddHours(-1));
        var rerun = await pipeline.Deliver(pipeline.ObjectCreated(c), c).CompleteAsync();

        Assert.Equal(new RunCounts(Received: Students, Unchanged: Students), rerun.Counts);
        Assert.Equal(before, await scenario.StudentsAsync());
    }

    private static async Task AssertNewerContentStaysAsync(LocalScenario scenario, ObjectInfo a, ObjectInfo c)
    {
        var students = await scenario.StudentsAsync();
        Assert.Equal(Students, students.Count);
        Assert.All(students.Values, s => Assert.Equal(("Physics", a.Key, c.LastModified), (s.Department, s.SourceKey, s.SeenTime)));
        Assert.Equal(Students, (await scenario.OutboxAsync()).Count); // A's creations only: nothing stale or unchanged is announced
    }

    /// <summary>Composes a failing student store over whatever adapters the backend chose (SQLite or dynalite).</summary>
    private static LocalPipelineOptions WithFailingStore(LocalPipelineOptions options, FaultPlan plan)
    {
        var chosen = options.Adapters;
        return options with
        {
            Adapters = real =>
            {
                var adapters = chosen?.Invoke(real) ?? real;
                return adapters with { Students = new FaultyStudentStore(adapters.Students, plan) };
            },
        };
    }

    /// <summary>Drops a file into incoming/ by hand, last modified at <paramref name="modified"/> (no event is sent).</summary>
    private static async Task<ObjectInfo> DropAsync(LocalScenario scenario, string name, string content, DateTimeOffset modified)
    {
        var pipeline = scenario.Pipeline;
        var key = LocalPipeline.IncomingPrefix + name;
        var path = ((LocalFolderObjectStore)pipeline.Objects).PathOf(pipeline.BucketName, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, content);
        File.SetLastWriteTimeUtc(path, modified.UtcDateTime);
        return (await scenario.HeadAsync(key))!;
    }

    /// <summary>Files' times reach the store through the wire's milliseconds: whole seconds compare exactly.</summary>
    private static DateTimeOffset WholeSeconds(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>B's departments: every second student moved to Chemistry.</summary>
    private static string Moved(int i) => i % 2 == 0 ? "Physics" : "Chemistry";

    private static string Export(Func<int, string> department) => JsonSerializer.Serialize(
        Enumerable.Range(0, Students).Select(i => new Dictionary<string, string>
        {
            ["StudentID"] = $"S-{i:D5}",
            ["Name"] = $"Student Number{i}",
            ["Department"] = department(i),
            ["Email"] = $"student{i}@example.edu",
        }));
}
