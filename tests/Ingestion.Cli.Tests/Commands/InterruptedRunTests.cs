using System.Globalization;
using System.Text;
using System.Text.Json;
using Ingestion.Local;

namespace Ingestion.Cli.Tests.Commands;

/// <summary>Ctrl+C during <c>ingest run</c>: what it says, and how the file gets finished.</summary>
public sealed class InterruptedRunTests : IDisposable
{
    private const int Students = 2_000; // 25 batches of 80: Ctrl+C comes after the second, most are left
    private const int StopAfter = 160;

    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>Runs <c>ingest run</c> and cancels the first-Ctrl+C token once <see cref="StopAfter"/> students are done.</summary>
    private async Task<CliResult> RunInterruptedAsync(string file, params string[] options)
    {
        using var stop = new CancellationTokenSource();
        return await _cli.RunRawAsync(
            ["run", file, .. options, "--data-dir", _cli.DataDir],
            pipeline => pipeline with
            {
                OnMapRunProgress = run =>
                {
                    if (run.Progress.Items.Succeeded >= StopAfter)
                    {
                        stop.Cancel();
                    }
                },
            },
            stop.Token);
    }

    private string Export(string name)
    {
        var lines = new StringBuilder();
        for (var i = 0; i < Students; i++)
        {
            lines.Append(CultureInfo.InvariantCulture, $$"""{"StudentID":"S-{{i:D5}}","Name":"Student {{i}}","Department":"Mathematics","Email":"s{{i}}@example.edu"}""").Append('\n');
        }

        return _cli.WriteFile(name, lines.ToString());
    }

    [Fact]
    public async Task Ctrl_C_shows_the_students_stored_so_far_and_how_to_finish()
    {
        var result = await RunInterruptedAsync(Export("big export.jsonl"));

        Assert.Equal(130, result.Exit);
        var row = Assert.Single(result.Lines, l => l.StartsWith("| big export.jsonl", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries);
        Assert.Equal("ABORTED", row[2]);
        var received = long.Parse(row[3], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.InRange(received, StopAfter, Students - 1);
        Assert.Equal(($"{row[3]} created", row[3]), (row[4], row[5])); // every one of them announced
        Assert.Contains(
            $"big export.jsonl: ABORTED: interrupted after {row[3]} students: {row[3]} created; the rest was not ingested. "
            + $"The file stays in incoming/; finish it with: ingest redrive 'big export.jsonl' --data-dir {_cli.DataDir}",
            result.Out,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_of_an_interrupted_run_carries_its_counts_and_error()
    {
        var result = await RunInterruptedAsync(Export("big.jsonl"), "--json");

        Assert.Equal(130, result.Exit);
        var line = Assert.Single(result.JsonLines);
        Assert.Equal(("ABORTED", LocalPipeline.StoppedError), (line.GetProperty("status").GetString(), line.GetProperty("error").GetString()));
        Assert.InRange(line.GetProperty("created").GetInt64(), StopAfter, Students - 1);
        Assert.Equal(line.GetProperty("received").GetInt64(), line.GetProperty("created").GetInt64());
        Assert.Contains("finish it with: ingest redrive big.jsonl --data-dir", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run", "students.json")]
    [InlineData("sync")] // with its default grace of an hour: the file is not stale, the finishing comes first
    [InlineData("redrive", "big.jsonl")]
    public async Task The_next_command_finishes_the_interrupted_file(string command, string? argument = null)
    {
        var first = await RunInterruptedAsync(Export("big.jsonl"), "--json");
        var storedBefore = Assert.Single(first.JsonLines).GetProperty("created").GetInt64();

        string[] next = argument switch
        {
            null => [command, "--json"],
            "students.json" => [command, CliFixture.TestData(argument), "--json"],
            _ => [command, argument, "--json"],
        };
        var result = await _cli.RunAsync(next);

        Assert.Equal(0, result.Exit);
        var (created, replayed) = FinishedCounts(result);
        // Batches stored before Ctrl+C come out replayed (a batch cut short may have stored some too); none is lost.
        Assert.InRange(replayed, storedBefore, Students);
        Assert.Equal(Students, created + replayed);
        Assert.True(File.Exists(Path.Combine(_cli.DataDir, "s3", "ingestion", "archive", "big.jsonl")));
    }

    /// <summary>
    /// The finished big file's created and replayed counts: <c>run</c> and <c>redrive</c> print its JSON line, <c>sync</c>
    /// (whose JSON is the sync's own) its line in words on standard error.
    /// </summary>
    private static (long Created, long Replayed) FinishedCounts(CliResult result)
    {
        if (result.JsonLines.FirstOrDefault(l => l.TryGetProperty("key", out var key) && key.GetString() == "incoming/big.jsonl") is { ValueKind: JsonValueKind.Object } line)
        {
            Assert.Equal("SUCCEEDED", line.GetProperty("status").GetString());
            return (line.GetProperty("created").GetInt64(), line.GetProperty("replayed").GetInt64());
        }

        var words = Assert.Single(result.Error.Split('\n'), l => l.StartsWith("incoming/big.jsonl: SUCCEEDED", StringComparison.Ordinal))
            .Split([' ', ':', ';'], StringSplitOptions.RemoveEmptyEntries).Select(w => w.TrimEnd(',')).ToArray();
        long Count(string outcome) => long.Parse(words[Array.IndexOf(words, outcome) - 1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        return (Count("created"), Count("replayed"));
    }
}
