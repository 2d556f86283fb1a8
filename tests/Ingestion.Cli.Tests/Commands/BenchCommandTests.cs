namespace Ingestion.Cli.Tests.Commands;

public sealed class BenchCommandTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Json_prints_one_object_per_phase_whose_counts_agree()
    {
        var result = await _cli.RunRawAsync(["bench", "--students", "2000", "--json", "--work-dir", Path.Combine(_cli.Root, "bench")]);

        Assert.Equal(0, result.Exit);
        Assert.Equal(["pipeline-first-load", "pipeline-rerun", "baseline-first-load", "baseline-rerun"], result.JsonLines.Select(l => l.GetProperty("phase").GetString()));
        Assert.All(result.JsonLines, line =>
        {
            Assert.Equal(2000, line.GetProperty("students").GetInt64());
            Assert.True(line.GetProperty("studentsPerSecond").GetDouble() > 0);
            Assert.True(line.GetProperty("wallSeconds").GetDouble() > 0);
            Assert.True(line.GetProperty("peakWorkingSetBytes").GetInt64() > 0);
            Assert.Equal(2000, line.GetProperty("counts").GetProperty("received").GetInt64());
        });
        var (first, rerun, baselineFirst, baselineRerun) = (result.JsonLines[0], result.JsonLines[1], result.JsonLines[2], result.JsonLines[3]);
        Assert.Equal(first.GetProperty("counts").ToString(), baselineFirst.GetProperty("counts").ToString());
        Assert.Equal(rerun.GetProperty("counts").ToString(), baselineRerun.GetProperty("counts").ToString());
        Assert.Equal(2000 - first.GetProperty("counts").GetProperty("rejected").GetInt64(), first.GetProperty("counts").GetProperty("created").GetInt64());
        Assert.True(first.GetProperty("ratio").GetDouble() > 0);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, baselineFirst.GetProperty("ratio").ValueKind);
        Assert.Equal(100_000, first.GetProperty("targets").GetProperty("studentsPerSecond").GetDouble());
        Assert.Equal(200_000, rerun.GetProperty("targets").GetProperty("studentsPerSecond").GetDouble());
        Assert.Contains("pipeline, first load", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_cli.Root, "bench")));
    }

    [Fact]
    public async Task The_table_names_every_phase_its_targets_and_how_peak_memory_is_measured()
    {
        var result = await _cli.RunRawAsync(["bench", "--students", "300", "--format", "csv", "--profile", "--only", "pipeline", "--work-dir", Path.Combine(_cli.Root, "bench")]);

        Assert.Equal(0, result.Exit);
        Assert.Contains("300 students (csv", result.Out, StringComparison.Ordinal);
        Assert.Contains("pipeline, nightly re-run", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("baseline, first load", result.Out, StringComparison.Ordinal);
        Assert.Contains(">= 200,000/s", result.Out, StringComparison.Ordinal);
        Assert.Contains("Peak working set:", result.Out, StringComparison.Ordinal);
        Assert.Contains("engine + runtime", result.Out, StringComparison.Ordinal);
        Assert.Contains("store: SQLite", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task A_student_count_below_one_is_a_usage_error(string students)
    {
        var result = await _cli.RunRawAsync(["bench", "--students", students]);

        Assert.Equal(2, result.Exit);
        Assert.Contains("--students", result.Error, StringComparison.Ordinal);
    }
}
