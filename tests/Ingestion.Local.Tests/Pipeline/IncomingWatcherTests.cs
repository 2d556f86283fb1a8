using Ingestion.Local.Tests.Support;
using Ingestion.Local.Watching;
using Ingestion.States;

namespace Ingestion.Local.Tests.Pipeline;

public sealed class IncomingWatcherTests : IAsyncLifetime
{
    private readonly VirtualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private TestPipeline _test = null!;

    public Task InitializeAsync()
    {
        _test = TestPipeline.Create();
        Directory.CreateDirectory(_test.Pipeline.Data.IncomingFolder);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _test.DisposeAsync();

    private string Incoming(string name) => Path.Combine(_test.Pipeline.Data.IncomingFolder, name);

    [Fact]
    public void A_file_is_taken_once_its_size_and_time_have_settled_and_only_once()
    {
        var watcher = new IncomingWatcher(_test.Pipeline, new IncomingWatcherOptions { Settle = TimeSpan.FromSeconds(2), Clock = _clock });
        var path = Incoming("students.json");
        File.WriteAllText(path, "[{\"StudentID\":");

        Assert.Empty(watcher.Ready());
        _clock.Advance(TimeSpan.FromSeconds(3));
        File.AppendAllText(path, "\"S-1\"}");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(1));
        Assert.Empty(watcher.Ready());
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(watcher.Ready());
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["incoming/students.json"], watcher.Ready());
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(watcher.Ready());
    }

    [Fact]
    public void Hidden_and_backup_files_are_ignored_and_sub_folders_watched()
    {
        var watcher = new IncomingWatcher(_test.Pipeline, new IncomingWatcherOptions { Settle = TimeSpan.Zero, Clock = _clock });
        File.WriteAllText(Incoming(".students.json.part"), "[]");
        File.WriteAllText(Incoming("students.json~"), "[]");
        Directory.CreateDirectory(Incoming("registrar"));
        File.WriteAllText(Incoming("registrar/a.json"), "[]");

        watcher.Ready();

        Assert.Equal(["incoming/registrar/a.json"], watcher.Ready());
    }

    [Fact]
    public void A_file_replaced_by_new_content_is_taken_again()
    {
        var watcher = new IncomingWatcher(_test.Pipeline, new IncomingWatcherOptions { Settle = TimeSpan.Zero, Clock = _clock });
        var path = Incoming("a.json");
        File.WriteAllText(path, "[]");
        watcher.Ready();
        Assert.Single(watcher.Ready());

        File.WriteAllText(path, "[ ]");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        watcher.Ready();

        Assert.Single(watcher.Ready());
    }

    [Fact]
    public async Task Watching_ingests_a_dropped_file_through_the_rule_and_stops_on_request()
    {
        var watcher = new IncomingWatcher(_test.Pipeline, new IncomingWatcherOptions { Settle = TimeSpan.FromMilliseconds(50), Poll = TimeSpan.FromMilliseconds(20) });
        using var stop = new CancellationTokenSource();
        var done = new TaskCompletionSource<WatchedFile>();
        var watching = watcher.RunAsync(null, file =>
        {
            done.TrySetResult(file);
            stop.Cancel();
            return Task.CompletedTask;
        }, stop.Token);
        File.Copy(TestPipeline.TestData("students-mixed.csv"), Incoming("students-mixed.csv"));

        var file = await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await watching.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("incoming/students-mixed.csv", file.Key);
        Assert.Equal(("SUCCEEDED", 12L, 6L), (file.Result!.Status, file.Result.Counts.Received, file.Result.Counts.Created));
        Assert.False(File.Exists(Incoming("students-mixed.csv")));
        Assert.Equal(6, (await _test.StudentsAsync()).Count);
    }

    [Fact]
    public async Task Files_whose_names_cannot_be_keys_are_reported_once_not_skipped_in_silence()
    {
        File.WriteAllText(Incoming("line\nbreak.json"), "[]");
        // .NET can neither write nor delete such a name; the shell can (byte 0xFF is never valid UTF-8).
        await ShellAsync("printf '[]' > \"$1/$(printf '\\377')bad.json\"");

        var watcher = new IncomingWatcher(_test.Pipeline, new IncomingWatcherOptions { Settle = TimeSpan.FromMilliseconds(50), Poll = TimeSpan.FromMilliseconds(20) });
        using var stop = new CancellationTokenSource();
        var reported = new List<WatchedFile>();
        var ingested = new TaskCompletionSource();
        var watching = watcher.RunAsync(null, file =>
        {
            reported.Add(file);
            if (file.Result is not null)
            {
                ingested.TrySetResult();
            }

            return Task.CompletedTask;
        }, stop.Token);
        File.Copy(TestPipeline.TestData("students-mixed.csv"), Incoming("students-mixed.csv"));
        await ingested.Task.WaitAsync(TimeSpan.FromSeconds(60));
        stop.Cancel();
        await watching.WaitAsync(TimeSpan.FromSeconds(60));

        await ShellAsync("rm \"$1\"/*bad.json");
        var bad = reported.Where(f => f.Result is null).OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(["incoming/line\nbreak.json", "incoming/\uFFFDbad.json"], bad.Select(f => f.Key));
        Assert.Contains("control character", bad[0].Problem, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", bad[1].Problem, StringComparison.Ordinal);
        Assert.Equal("SUCCEEDED", Assert.Single(reported, f => f.Result is not null).Result!.Status);
    }

    private async Task ShellAsync(string script)
    {
        using var shell = System.Diagnostics.Process.Start("sh", ["-c", script, "sh", _test.Pipeline.Data.IncomingFolder])!;
        await shell.WaitForExitAsync();
        Assert.Equal(0, shell.ExitCode);
    }
}
