using System.Text;
using System.Text.Json;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Reliability.Tests.Support;
using Ingestion.Testing;

namespace Ingestion.Reliability.Tests.Races;

/// <summary>
/// Duplicated events, exports out of order and files racing each other, on SQLite and on DynamoDB's API: one
/// processing per object version, the newest source wins for every student, no update is lost.
/// </summary>
public sealed class OrderingAndRacesTests(DynaliteServer dynalite) : IClassFixture<DynaliteServer>
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task The_same_event_delivered_twice_at_once_and_once_more_later_is_processed_once(string backend)
    {
        await using var scenario = await Backends.CreateAsync(backend, dynalite);
        var pipeline = scenario.Pipeline;
        var info = await PutAsync(scenario, "export.json", Export(0, 600, "Physics"));
        var @event = pipeline.ObjectCreated(info);

        var results = await Task.WhenAll(pipeline.Deliver(@event, info).CompleteAsync(), pipeline.Deliver(@event, info).CompleteAsync());
        var late = await pipeline.Deliver(@event, info).CompleteAsync();

        Assert.Equal(["ALREADY_PROCESSED", "SUCCEEDED"], results.Select(r => r.Status).Order());
        Assert.Equal(600, results.Single(r => r.Status == "SUCCEEDED").Counts.Created);
        Assert.Equal(("ALREADY_PROCESSED", RunCounts.Zero), (late.Status, late.Counts));
        var students = await scenario.StudentsAsync();
        Assert.Equal(600, students.Count);
        Assert.All(students.Values, s => Assert.Equal(s.CreatedAt, s.UpdatedAt));
        Assert.Equal(600, (await scenario.OutboxAsync()).Count);
        Assert.Single(await scenario.OutboxAsync("AdminAlerts"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_newer_export_processed_before_an_older_one_keeps_its_data_and_the_older_records_are_stale(string backend)
    {
        await using var scenario = await Backends.CreateAsync(backend, dynalite);
        var pipeline = scenario.Pipeline;
        var older = await PutAsync(scenario, "export-1.json", Export(0, 600, "Physics"));
        var newer = await PutAsync(scenario, "export-2.json", Export(0, 600, "Chemistry"));
        Assert.True(newer.LastModified >= older.LastModified);

        var first = await pipeline.Deliver(pipeline.ObjectCreated(newer), newer).CompleteAsync();
        var late = await pipeline.Deliver(pipeline.ObjectCreated(older), older).CompleteAsync();

        Assert.Equal(new RunCounts(Received: 600, Created: 600, Notified: 600), first.Counts);
        Assert.Equal(("SUCCEEDED", new RunCounts(Received: 600, Stale: 600)), (late.Status, late.Counts));
        var students = await scenario.StudentsAsync();
        Assert.All(students.Values, s => Assert.Equal(("Chemistry", "incoming/export-2.json"), (s.Department, s.SourceKey)));
        Assert.Equal(600, (await scenario.OutboxAsync()).Count); // stale records notify nobody
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Two_files_touching_the_same_students_at_once_leave_the_newest_source_for_every_student(string backend)
    {
        await using var scenario = await Backends.CreateAsync(backend, dynalite);
        var pipeline = scenario.Pipeline;
        // Students 0-1999 in the older file, 500-2499 in the newer: 1,500 in both, in batches that interleave.
        var older = await PutAsync(scenario, "export-1.json", Export(0, 2_000, "Physics"));
        var newer = await PutAsync(scenario, "export-2.json", Export(500, 2_000, "Chemistry"));

        var results = await Task.WhenAll(
            pipeline.Deliver(pipeline.ObjectCreated(older), older).CompleteAsync(),
            pipeline.Deliver(pipeline.ObjectCreated(newer), newer).CompleteAsync());

        Assert.All(results, r => Assert.Equal("SUCCEEDED", r.Status));
        Assert.All(results, r => Assert.True(r.Counts.IsBalanced));
        // Each student is created once; a shared one is then updated by the newer file, or found stale by the older.
        var (fromOlder, fromNewer) = (results[0].Counts, results[1].Counts);
        Assert.Equal(2_500, fromOlder.Created + fromNewer.Created);
        Assert.Equal((0L, 0L), (fromOlder.Updated, fromNewer.Stale));
        Assert.Equal(1_500, fromOlder.Stale + fromNewer.Updated);
        var students = await scenario.StudentsAsync();
        Assert.Equal(2_500, students.Count);
        foreach (var (id, student) in students)
        {
            var number = int.Parse(id.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture);
            var (department, source) = number >= 500 ? ("Chemistry", newer) : ("Physics", older);
            Assert.Equal((department, source.Key, source.VersionId), (student.Department, student.SourceKey, student.SourceVersion));
        }

        // Every stored content was announced; what was overwritten or stale may have been announced before, never after.
        var announced = (await scenario.OutboxAsync()).Select(Exports.Body).ToList();
        Assert.All(students.Values, s => Assert.Contains((s.StudentId, s.ContentHash), announced.Select(a => (a.StudentId, a.ContentHash))));
        Assert.Equal(results.Sum(r => r.Counts.Notified), announced.Count);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Two_uploads_of_one_file_name_at_once_are_both_ingested_whole(string backend)
    {
        await using var scenario = await Backends.CreateAsync(backend, dynalite);
        var pipeline = scenario.Pipeline;
        const int Pairs = 20, Each = 100;
        for (var pair = 0; pair < Pairs; pair++)
        {
            // Both uploads land before either event is handled (as `ingest run x/students.json & ingest run y/students.json`):
            // each event names its own version, and that version is what its execution reads, stores and archives.
            var uploads = await Task.WhenAll(
                PutAsync(scenario, "students.json", Export(pair * 1_000, Each, "Physics")),
                PutAsync(scenario, "students.json", Export((pair * 1_000) + 500, Each, "Chemistry")));
            var results = await Task.WhenAll(uploads.Select(u => pipeline.Deliver(pipeline.ObjectCreated(u), u).CompleteAsync()));

            Assert.All(results, r => Assert.Equal(("SUCCEEDED", (long)Each), (r.Status, r.Counts.Created)));
        }

        Assert.Equal(Pairs * 2 * Each, (await scenario.StudentsAsync()).Count);
        Assert.Null(await scenario.HeadAsync("incoming/students.json"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_file_stamped_in_the_future_is_synced_as_of_now_and_a_later_export_still_updates_its_students(string backend)
    {
        await using var scenario = await Backends.CreateAsync(backend, dynalite);
        var pipeline = scenario.Pipeline;
        var path = ((Ingestion.Storage.Local.Folder.LocalFolderObjectStore)pipeline.Objects).PathOf(pipeline.BucketName, "incoming/future.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, Export(0, 100, "Physics"));
        File.SetLastWriteTimeUtc(path, new DateTime(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var sync = await pipeline.SyncAsync(graceSeconds: 0);
        var later = await PutAsync(scenario, "later.json", Export(0, 100, "Chemistry"));
        var update = await pipeline.Deliver(pipeline.ObjectCreated(later), later).CompleteAsync();

        Assert.Equal((true, 1L, 0L), (sync.Succeeded, sync.Files, sync.FailedFiles));
        Assert.Equal(("SUCCEEDED", 100L), (update.Status, update.Counts.Updated));
        Assert.All((await scenario.StudentsAsync()).Values, s => Assert.True(s.SourceTime <= scenario.Clock.GetUtcNow()));
    }

    private static async Task<ObjectInfo> PutAsync(LocalScenario scenario, string name, string content)
    {
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        return await scenario.Pipeline.PutIncomingAsync(name, stream);
    }

    /// <summary>Students S-first … S-(first+count-1), all in one department.</summary>
    private static string Export(int first, int count, string department) => JsonSerializer.Serialize(
        Enumerable.Range(first, count).Select(i => new Dictionary<string, string>
        {
            ["StudentID"] = $"S-{i:D5}",
            ["Name"] = $"Student Number{i}",
            ["Department"] = department,
            ["Email"] = $"student{i}@example.edu",
        }));
}
