using System.Text.Json;
using Ingestion.Tools.Synthetic;

namespace Ingestion.Reliability.Tests.Crash;

/// <summary>
/// <c>ingest run</c> killed with SIGKILL before its file's run had begun: during the copy into the bucket, or in the
/// moment after the copy and before the event reached IngestFile. The next <c>ingest run</c> ingests the stored copy
/// or, where the copy was cut short, leaves nothing of it behind.
/// </summary>
public sealed class UploadCrashTests : IDisposable
{
    /// <summary>About 700 KiB of JSON Lines: more than the 256 KiB the paused copy hands over.</summary>
    private const int Students = 5_000;

    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    private readonly string _root = Directory.CreateTempSubdirectory("ingest-upload-crash-").FullName;
    private readonly string _data;
    private readonly string _file;

    public UploadCrashTests()
    {
        _data = Path.Combine(_root, "data");
        _file = Path.Combine(_root, "export.jsonl");
        using var output = File.Create(_file);
        SyntheticStudents.Write(output, Students, ExportFormat.JsonLines);
    }

    [Fact]
    public async Task A_kill_after_the_copy_and_before_the_run_leaves_a_file_the_next_run_ingests()
    {
        await KillAsync("uploaded");
        Assert.Single(Directory.GetFiles(Path.Combine(_data, "s3", "ingestion", "incoming")));
        Assert.Equal(0, new DataFolderProbe(_data).Count("IngestionFiles"));

        var lines = await RunAgainAsync();

        // First the stranded copy, ingested whole; then this run's own upload, unchanged.
        Assert.Equal(2, lines.Count);
        var created = lines[0].GetProperty("created").GetInt64();
        Assert.Equal(("SUCCEEDED", (long)Students), (lines[0].GetProperty("status").GetString(), created + lines[0].GetProperty("rejected").GetInt64()));
        Assert.Equal(("SUCCEEDED", created), (lines[1].GetProperty("status").GetString(), lines[1].GetProperty("unchanged").GetInt64()));
        Assert.Equal(created, new DataFolderProbe(_data).Count("Students"));
    }

    [Fact]
    public async Task A_kill_during_the_copy_leaves_a_partial_copy_the_next_run_removes()
    {
        await KillAsync("upload");
        var temp = Path.Combine(_data, "s3", ".tmp");
        Assert.Contains(Directory.GetFiles(temp), path => new FileInfo(path).Length > 0);
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(_data, "s3"), "*", SearchOption.AllDirectories), path => path.Contains("incoming", StringComparison.Ordinal));

        var lines = await RunAgainAsync();

        var line = Assert.Single(lines);
        Assert.Equal(("SUCCEEDED", (long)Students), (line.GetProperty("status").GetString(), line.GetProperty("created").GetInt64() + line.GetProperty("rejected").GetInt64()));
        Assert.Empty(Directory.GetFiles(temp));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task KillAsync(string mode)
    {
        using var crashed = IngestProcess.StartPausing(_root, 0, mode, _data, _file);
        await crashed.UntilPausedAsync(Bound);
        await crashed.KillAsync();
    }

    private async Task<List<JsonElement>> RunAgainAsync()
    {
        using var again = IngestProcess.Start(_root, "run", _file, "--json", "--data-dir", _data);
        Assert.Equal(0, await again.WaitAsync(Bound));
        return [.. again.Lines.Select(line => JsonDocument.Parse(line).RootElement)];
    }
}
