using System.Text.Json;
using Ingestion.Domain.Storage;
using Ingestion.Reliability.Tests.Support;
using Ingestion.Tools.Synthetic;

namespace Ingestion.Reliability.Tests.Crash;

/// <summary>
/// <c>ingest</c> killed with SIGKILL part-way through a large file, then started again: the next <c>ingest run</c>
/// (or <c>watch</c>) finishes the file first, so the table ends as an uninterrupted run leaves it, every stored
/// student's content is announced, and nothing is written twice.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    /// <summary>160 batches of 250: the kill, after <see cref="BatchesBeforeKill"/> batches (and at most the map's 50 in flight), lands part-way.</summary>
    private const int Students = 40_000;

    /// <summary>The crash point: the child stops storing after this many batches and says so, then is killed.</summary>
    private const int BatchesBeforeKill = 4;

    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    private string _root = null!;
    private string _file = null!;
    private Dictionary<string, string> _expected = null!;

    public async Task InitializeAsync()
    {
        _root = Directory.CreateTempSubdirectory("ingest-crash-").FullName;
        _file = Path.Combine(_root, "export.jsonl");
        using (var output = File.Create(_file))
        {
            SyntheticStudents.Write(output, Students, ExportFormat.JsonLines);
        }

        // The table an uninterrupted run leaves: StudentID → content hash (which covers every field of the record).
        await using var reference = LocalScenario.Create(root: Path.Combine(_root, "reference"));
        await reference.Pipeline.IngestFileAsync(_file);
        _expected = (await reference.StudentsAsync()).ToDictionary(s => s.Key, s => s.Value.ContentHash, StringComparer.Ordinal);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Ingest_run_killed_part_way_is_finished_by_the_next_run()
    {
        var data = Path.Combine(_root, "data");
        var probe = new DataFolderProbe(data);
        using (var crashed = IngestProcess.StartPausing(_root, BatchesBeforeKill, "run", data, _file))
        {
            await crashed.UntilPausedAsync(Bound);
            await crashed.KillAsync();
        }

        var killedAt = probe.Count("Students");
        Assert.InRange(killedAt, 1, _expected.Count - 1);

        using var again = IngestProcess.Start(_root, "run", _file, "--json", "--data-dir", data);
        Assert.Equal(0, await again.WaitAsync(Bound));

        // First the interrupted version, finished: what it had stored replays; then the new upload, all unchanged.
        var lines = again.Lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        var recovered = lines[0];
        Assert.Equal(("incoming/export.jsonl", "SUCCEEDED"), (recovered.GetProperty("file").GetString(), recovered.GetProperty("status").GetString()));
        Assert.InRange(recovered.GetProperty("replayed").GetInt64(), 1, _expected.Count - 1);
        Assert.Equal(_expected.Count, recovered.GetProperty("created").GetInt64() + recovered.GetProperty("replayed").GetInt64());
        Assert.Equal(_expected.Count, lines[1].GetProperty("unchanged").GetInt64());
        await AssertFinalStateAsync(data, versions: 2);
    }

    [Fact]
    public async Task Ingest_watch_killed_while_a_dropped_file_is_ingested_is_finished_when_it_starts_again()
    {
        var data = Path.Combine(_root, "data");
        var probe = new DataFolderProbe(data);
        var incoming = Path.Combine(data, "s3", "ingestion", "incoming");
        // Dropped as the watch command's help says: written under a hidden name, then renamed in.
        Directory.CreateDirectory(incoming);
        File.Copy(_file, Path.Combine(incoming, ".export.jsonl.part"));
        File.Move(Path.Combine(incoming, ".export.jsonl.part"), Path.Combine(incoming, "export.jsonl"));
        using (var crashed = IngestProcess.StartPausing(_root, BatchesBeforeKill, "watch", data))
        {
            await crashed.UntilPausedAsync(Bound);
            await crashed.KillAsync();
        }

        Assert.InRange(probe.Count("Students"), 1, _expected.Count - 1);
        Assert.True(File.Exists(Path.Combine(incoming, "export.jsonl")));

        using var again = IngestProcess.Start(_root, "watch", "--settle", "0.2", "--json", "--data-dir", data);
        await DataFolderProbe.UntilAsync(() => again.Lines.Count >= 1 || again.HasExited, Bound, "the interrupted file to be finished");
        again.Interrupt();
        Assert.Equal(0, await again.WaitAsync(Bound));

        var recovered = JsonDocument.Parse(Assert.Single(again.Lines)).RootElement;
        Assert.Equal(("incoming/export.jsonl", "SUCCEEDED"), (recovered.GetProperty("file").GetString(), recovered.GetProperty("status").GetString()));
        Assert.Equal(_expected.Count, recovered.GetProperty("created").GetInt64() + recovered.GetProperty("replayed").GetInt64());
        await AssertFinalStateAsync(data, versions: 1);
    }

    /// <summary>The table is the expected one, every stored content was announced, nothing was written twice, nothing is left over.</summary>
    private async Task AssertFinalStateAsync(string data, int versions)
    {
        await using var after = LocalScenario.Create(root: Path.Combine(_root, "after"), configure: options => options with
        {
            Settings = options.Settings with { DataDir = data },
        });
        var students = await after.StudentsAsync();
        Assert.Equal(_expected.OrderBy(p => p.Key, StringComparer.Ordinal), students.Select(s => KeyValuePair.Create(s.Key, s.Value.ContentHash)).OrderBy(p => p.Key, StringComparer.Ordinal));

        // Written once: by the interrupted version (its run finished it), never rewritten.
        var ledger = await after.Pipeline.Ledger.ListAsync("incoming/export.jsonl").ToListAsync();
        Assert.Equal(versions, ledger.Count);
        Assert.All(ledger, entry => Assert.Equal(FileStatus.Succeeded, entry.Status));
        var interrupted = ledger.Single(entry => entry.Attempts == 2);
        Assert.All(students.Values, s => Assert.Equal((interrupted.Version, s.CreatedAt), (s.SourceVersion, s.UpdatedAt)));

        var announced = (await after.OutboxAsync()).Select(Exports.Body).Select(b => (b.StudentId, b.ContentHash)).ToHashSet();
        Assert.All(students.Values, s => Assert.Contains((s.StudentId, s.ContentHash), announced));
        Assert.Empty(after.Pipeline.Runs.List());
        Assert.Null(await after.HeadAsync("incoming/export.jsonl"));
    }
}
