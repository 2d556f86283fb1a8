using Ingestion.Domain.Storage;
using Ingestion.Reliability.Tests.Support;

namespace Ingestion.Reliability.Tests.Security;

/// <summary>
/// Local mode reads and writes only inside its data folder. Keys with <c>..</c> or an absolute path are refused
/// (the corpus fires both as events); a symbolic link inside the bucket, to a file or a folder outside, is not
/// followed: it is not an object, and nothing is written through it.
/// </summary>
public sealed class ContainmentTests : IAsyncLifetime
{
    private LocalScenario _scenario = null!;
    private string _outside = null!;

    private string Incoming => _scenario.Pipeline.Data.IncomingFolder;

    public Task InitializeAsync()
    {
        _scenario = LocalScenario.Create();
        _outside = Path.Combine(_scenario.Root, "outside");
        Directory.CreateDirectory(_outside);
        File.Copy(LocalScenario.TestData("students.json"), Path.Combine(_outside, "students.json"));
        Directory.CreateDirectory(Incoming);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task A_link_in_incoming_to_a_file_outside_is_not_an_object()
    {
        File.CreateSymbolicLink(Path.Combine(Incoming, "students.json"), Path.Combine(_outside, "students.json"));

        Assert.Null(await _scenario.HeadAsync("incoming/students.json"));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => _scenario.Pipeline.StartObjectAsync("incoming/students.json"));
        var sync = await _scenario.Pipeline.SyncAsync(graceSeconds: 0);

        Assert.Equal(0, sync.Files);
        await AssertOutsideUntouchedAsync();
    }

    [Fact]
    public async Task A_linked_folder_in_incoming_is_not_listed_read_or_written()
    {
        Directory.CreateSymbolicLink(Path.Combine(Incoming, "linked"), _outside);

        Assert.Empty(await _scenario.Pipeline.Objects.ListAsync(_scenario.Pipeline.BucketName, "incoming/").ToListAsync());
        Assert.Null(await _scenario.HeadAsync("incoming/linked/students.json"));
        var sync = await _scenario.Pipeline.SyncAsync(graceSeconds: 0);
        await using (var content = File.OpenRead(LocalScenario.TestData("students.json")))
        {
            await Assert.ThrowsAsync<InvalidObjectKeyException>(() => _scenario.Pipeline.PutIncomingAsync("linked/new.json", content));
        }

        Assert.Equal(0, sync.Files);
        await AssertOutsideUntouchedAsync();
    }

    [Fact]
    public async Task A_reports_folder_linked_outside_gets_no_report_written_through_it()
    {
        var reports = _scenario.Pipeline.Data.BucketPath(_scenario.Pipeline.BucketName, "reports");
        Directory.CreateSymbolicLink(reports, _outside);

        var result = await _scenario.Pipeline.IngestFileAsync(LocalScenario.TestData("students-mixed.json"));

        // SummarizeRun cannot write its report, so the run fails (and is retryable) instead of writing outside.
        Assert.Equal("FAILED", result.Status);
        Assert.Contains("symbolic link", result.Cause, StringComparison.Ordinal);
        Assert.NotNull(await _scenario.HeadAsync("incoming/students-mixed.json"));
        await AssertOutsideUntouchedAsync();
    }

    private async Task AssertOutsideUntouchedAsync()
    {
        Assert.Equal(["students.json"], Directory.EnumerateFileSystemEntries(_outside).Select(Path.GetFileName));
        Assert.Equal(await File.ReadAllBytesAsync(LocalScenario.TestData("students.json")), await File.ReadAllBytesAsync(Path.Combine(_outside, "students.json")));
        Assert.DoesNotContain((await _scenario.StudentsAsync()).Values, s => s.SourceKey.Contains("students.json", StringComparison.Ordinal) && !s.SourceKey.Contains("mixed", StringComparison.Ordinal));
    }
}
