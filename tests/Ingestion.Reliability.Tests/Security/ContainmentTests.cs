using Ingestion.Domain.Storage;
using Ingestion.Reliability.Tests.Support;
using Ingestion.Domain;
using Ingestion.Domain.Students;

namespace Ingestion.Reliability.Tests.Security;

/// <summary>
/// Local mode reads and writes only inside its data folder. Keys with <c>..</c> or an absolute path are refused
/// (the corpus fires both as events); a symbolic link inside the bucket, to a file or a folder outside, is not
/// followed: it is not an object, and nothing is written through it.
/// </summary>
public sealed class ContainmentTests : IAsyncLifetime
{
    private LocalScenario scenario = null!;
    private string outside = null!;

    private string Incoming => scenario.Pipeline.Data.IncomingFolder;

    public Task InitializeAsync()
    {
        scenario = LocalScenario.Create();
        outside = Path.Combine(scenario.Root, "outside");
        Directory.CreateDirectory(outside);
        File.Copy(LocalScenario.TestData("students.json"), Path.Combine(outside, "students.json"));
        Directory.CreateDirectory(Incoming);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await scenario.DisposeAsync();

    [Fact]
    public async Task A_link_in_incoming_to_a_file_outside_is_not_an_object()
    {
        File.CreateSymbolicLink(Path.Combine(Incoming, "students.json"), Path.Combine(outside, "students.json"));

        Assert.Null(await scenario.HeadAsync("incoming/students.json"));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => scenario.Pipeline.StartObjectAsync("incoming/students.json"));
        var sync = await scenario.Pipeline.SyncAsync(graceSeconds: 0);

        Assert.Empty(sync.Files);
        await AssertOutsideUntouchedAsync();
    }

    [Fact]
    public async Task A_linked_folder_in_incoming_is_not_listed_read_or_written()
    {
        Directory.CreateSymbolicLink(Path.Combine(Incoming, "linked"), outside);

        Assert.Empty(await scenario.Pipeline.Objects.ListAsync(scenario.Pipeline.BucketName, "incoming/").ToListAsync());
        Assert.Null(await scenario.HeadAsync("incoming/linked/students.json"));
        var sync = await scenario.Pipeline.SyncAsync(graceSeconds: 0);
        await using (var content = File.OpenRead(LocalScenario.TestData("students.json")))
        {
            await Assert.ThrowsAsync<InvalidObjectKeyException>(() => scenario.Pipeline.PutIncomingAsync("linked/new.json", content));
        }

        Assert.Empty(sync.Files);
        await AssertOutsideUntouchedAsync();
    }

    [Fact]
    public async Task A_reports_folder_linked_outside_gets_no_report_written_through_it()
    {
        var reports = scenario.Pipeline.Data.BucketPath(scenario.Pipeline.BucketName, "reports");
        Directory.CreateSymbolicLink(reports, outside);

        var result = await scenario.Pipeline.IngestFileAsync(LocalScenario.TestData("students-mixed.json"));

        // SummarizeRun cannot write its report, so the run fails (and is retryable) instead of writing outside.
        Assert.Equal("FAILED", result.Status);
        Assert.Contains("symbolic link", result.Cause, StringComparison.Ordinal);
        Assert.NotNull(await scenario.HeadAsync("incoming/students-mixed.json"));
        await AssertOutsideUntouchedAsync();
    }

    private async Task AssertOutsideUntouchedAsync()
    {
        Assert.Equal(["students.json"], Directory.EnumerateFileSystemEntries(outside).Select(Path.GetFileName));
        Assert.Equal(await File.ReadAllBytesAsync(LocalScenario.TestData("students.json")), await File.ReadAllBytesAsync(Path.Combine(outside, "students.json")));
        Assert.DoesNotContain((await scenario.StudentsAsync()).Values, s => s.SourceKey.Contains("students.json", StringComparison.Ordinal) && !s.SourceKey.Contains("mixed", StringComparison.Ordinal));
    }
}
