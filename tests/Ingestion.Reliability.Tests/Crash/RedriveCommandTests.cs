using System.Text.Json;

namespace Ingestion.Reliability.Tests.Crash;

/// <summary><c>ingest redrive</c> as a user runs it: what it delivers, and what it says when there is nothing to retry.</summary>
public sealed class RedriveCommandTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    private readonly string _root = Directory.CreateTempSubdirectory("ingest-redrive-").FullName;

    private string Data => Path.Combine(_root, "data");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_file_whose_event_never_came_is_ingested_by_redrive()
    {
        var incoming = Path.Combine(Data, "s3", "ingestion", "incoming");
        Directory.CreateDirectory(incoming);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "testdata", "students-mixed.json"), Path.Combine(incoming, "students-mixed.json"));

        var (exit, lines, _) = await IngestAsync("redrive", "students-mixed.json", "--json");

        Assert.Equal(0, exit);
        var line = JsonDocument.Parse(Assert.Single(lines)).RootElement;
        Assert.Equal(("incoming/students-mixed.json", "SUCCEEDED", 6), (line.GetProperty("key").GetString(), line.GetProperty("status").GetString(), line.GetProperty("created").GetInt32()));
        Assert.True(File.Exists(Path.Combine(Data, "s3", "ingestion", "archive", "students-mixed.json")));
    }

    [Theory]
    [InlineData("students.json", "it was ingested and archived (archive/students.json)")]
    [InlineData("unparseable.json", "it could not be read and was quarantined (quarantine/unparseable.json")]
    [InlineData("never-seen.json", "There is no incoming/never-seen.json in bucket ingestion")]
    public async Task A_file_not_waiting_in_incoming_is_a_usage_error_that_says_where_it_went(string name, string message)
    {
        var (ran, _, _) = await IngestAsync("run", Path.Combine(AppContext.BaseDirectory, "testdata", name == "never-seen.json" ? "students.json" : name));
        Assert.Equal(name == "unparseable.json" ? 1 : 0, ran);

        var (exit, lines, error) = await IngestAsync("redrive", name);

        Assert.Equal(2, exit);
        Assert.Empty(lines);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    private async Task<(int Exit, IReadOnlyList<string> Lines, string Error)> IngestAsync(params string[] args)
    {
        using var process = IngestProcess.Start(_root, [.. args, "--data-dir", Data]);
        var exit = await process.WaitAsync(Bound);
        return (exit, process.Lines, process.Error);
    }
}
