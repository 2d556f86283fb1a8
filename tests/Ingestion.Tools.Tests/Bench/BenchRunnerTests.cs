using Ingestion.Testing;
using Ingestion.Tools.Bench;
using Ingestion.Tools.Synthetic;

namespace Ingestion.Tools.Tests.Bench;

/// <summary>The benchmark's phases do the same work: their counts agree with the export and with each other. No timing is asserted.</summary>
public sealed class BenchRunnerTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("ingest-bench-test-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Theory]
    [InlineData(ExportFormat.Json)]
    [InlineData(ExportFormat.JsonLines)]
    [InlineData(ExportFormat.Csv)]
    public async Task Every_phase_accounts_for_every_student_and_the_pipeline_and_baseline_agree(ExportFormat format)
    {
        var report = await BenchRunner.RunAsync(new BenchOptions { Students = 2_000, ChangedFraction = 0.05, Format = format, WorkDirectory = Path.Combine(_work, "run") });

        Assert.Empty(report.Inconsistencies());
        Assert.Equal([BenchPhase.PipelineFirstLoad, BenchPhase.PipelineRerun, BenchPhase.BaselineFirstLoad, BenchPhase.BaselineRerun], report.Phases.Select(p => p.Phase));
        Assert.All(report.Phases, p => Assert.Equal("SUCCEEDED", p.Status));
        var first = report.Phases[0].Counts;
        Assert.Equal(report.Valid, first.Created);
        Assert.Equal(report.RerunExport.Changed, report.Phases[1].Counts.Updated);
        Assert.InRange(report.RerunExport.Changed, 1, report.Valid);
        Assert.Equal(report.Phases[0].Counts, report.Phases[2].Counts);
        Assert.Equal(report.Phases[1].Counts, report.Phases[3].Counts);
        Assert.All(report.Phases.Where(p => p.IsPipeline), p => Assert.NotNull(p.Ratio));
        Assert.All(report.Phases, p => Assert.True(p.PeakWorkingSetBytes > 0));
        Assert.False(Directory.Exists(Path.Combine(_work, "run")));
    }

    [Fact]
    public async Task Both_write_what_they_count_students_outbox_rows_and_a_report()
    {
        var folder = Path.Combine(_work, "kept");
        var report = await BenchRunner.RunAsync(new BenchOptions { Students = 500, WorkDirectory = folder, Keep = true });

        Assert.Empty(report.Inconsistencies());
        foreach (var data in new[] { "pipeline", "baseline" })
        {
            var database = Path.Combine(folder, data, "ingest.db");
            Assert.Equal(report.Valid, SqliteProbe.Scalar(database, "SELECT COUNT(*) FROM Students;"));
            // The pipeline's outbox has its own file, as SNS is its own service; the baseline writes one file.
            var outbox = data == "pipeline" ? Path.Combine(folder, data, "outbox.db") : database;
            Assert.Equal(report.Valid + report.RerunExport.Changed, SqliteProbe.Scalar(outbox, "SELECT COUNT(*) FROM Outbox WHERE Topic LIKE '%:StudentEvents';"));
        }

        var baselineReports = Directory.GetFiles(Path.Combine(folder, "baseline", "reports"));
        Assert.Equal(2, baselineReports.Length);
        using var parsed = System.Text.Json.JsonDocument.Parse(File.ReadAllText(baselineReports.Order().First()));
        Assert.Equal(report.FirstExport.Invalid, parsed.RootElement.GetProperty("rejected").GetArrayLength());
        Assert.Equal(report.FirstExport.Invalid, parsed.RootElement.GetProperty("counts").GetProperty("rejected").GetInt64());
    }

    [Fact]
    public async Task A_profiled_pipeline_phase_breaks_its_time_down_and_the_lines_add_up_to_the_core_time()
    {
        var report = await BenchRunner.RunAsync(new BenchOptions
        {
            Students = 1_000,
            Profile = true,
            WorkDirectory = Path.Combine(_work, "profiled"),
            Phases = new HashSet<BenchPhase> { BenchPhase.PipelineFirstLoad },
        });

        var profile = Assert.Single(report.Phases).Profile;
        Assert.NotNull(profile);
        Assert.Equal(
            ["read/parse", "validate", "store", "store: SQLite", "notify: SNS", "notify: outbox", "report", "engine + runtime", "idle"],
            profile.Lines().Select(l => l.Name));
        // 1,000 students in batches of 80 (the definition's ItemBatcher): 13 child executions.
        const int batches = (1_000 + 79) / 80;
        Assert.Equal(batches, profile.Stages.Single(s => s.Name == "validate").Calls);
        // PublishBatch takes 10 entries: at least valid / 10 calls, at most one more per batch, and the admins' summary.
        var minimum = (report.Valid + 9) / 10;
        Assert.InRange(profile.Stages.Single(s => s.Name == "notify: SNS").Calls, minimum, minimum + batches + 1);
        Assert.Equal(batches, profile.Stages.Single(s => s.Name == "store: SQLite").Calls);
        // Every per-call stage was entered (read/parse is metered per item stream, not per call; the counts above show
        // it read every record). How much CPU a stage took depends on the machine, so only its sign is asserted.
        Assert.All(profile.Stages.Where(s => s.Name is not ("report" or "read/parse")), s => Assert.True(s.Calls > 0, s.Name));
        Assert.All(profile.Lines(), line => Assert.True(line.CpuTime >= TimeSpan.Zero, line.Name));
        var total = profile.Lines().Aggregate(TimeSpan.Zero, (sum, line) => sum + line.CpuTime);
        // Engine time is the CPU left over, idle the core time left over: the lines cover wall × cores (or the CPU, if more).
        Assert.Equal(Math.Max((profile.Wall * profile.Cores).TotalMilliseconds, profile.Cpu.TotalMilliseconds), total.TotalMilliseconds, 1.0);
    }

    [Fact]
    public async Task Without_a_profile_nothing_is_measured()
    {
        var report = await BenchRunner.RunAsync(new BenchOptions
        {
            Students = 300,
            WorkDirectory = Path.Combine(_work, "plain"),
            Phases = new HashSet<BenchPhase> { BenchPhase.PipelineFirstLoad, BenchPhase.BaselineFirstLoad },
        });

        Assert.All(report.Phases, p => Assert.Null(p.Profile));
        Assert.NotNull(report.Phases.Single(p => p.Phase == BenchPhase.PipelineFirstLoad).Ratio);
        Assert.Empty(report.Inconsistencies());
    }

    [Fact]
    public async Task The_invalid_records_are_of_every_kind_and_both_reject_each_one_for_the_same_reasons()
    {
        var folder = Path.Combine(_work, "reasons");
        await BenchRunner.RunAsync(new BenchOptions
        {
            Students = 2_000,
            WorkDirectory = folder,
            Keep = true,
            Phases = new HashSet<BenchPhase> { BenchPhase.PipelineFirstLoad, BenchPhase.BaselineFirstLoad },
        });

        static List<string> Rejections(string reportFile)
        {
            using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(reportFile));
            return report.RootElement.GetProperty("rejected").EnumerateArray()
                .Select(r => r.GetProperty("index").GetInt64() + ": " + string.Join(",", r.GetProperty("reasons").EnumerateArray().Select(x => x.GetProperty("code").GetString())))
                .ToList();
        }

        // One report per object version: reports/<name>/<upload time>-<version>.report.json.
        var pipeline = Rejections(Directory.GetFiles(Path.Combine(folder, "pipeline", "s3", "ingestion", "reports"), "*.report.json", SearchOption.AllDirectories).Single());
        var baseline = Rejections(Directory.GetFiles(Path.Combine(folder, "baseline", "reports")).Single());
        Assert.Equal(baseline.Order(StringComparer.Ordinal), pipeline.Order(StringComparer.Ordinal));
        var codes = pipeline.SelectMany(r => r[(r.IndexOf(' ', StringComparison.Ordinal) + 1)..].Split(',')).ToHashSet();
        Assert.Equal(
            ["CONTROL_CHARACTERS", "EMAIL_INVALID", "MISSING_FIELD", "NAME_TOO_LONG", "NOT_AN_OBJECT", "STUDENT_ID_INVALID"],
            codes.Order(StringComparer.Ordinal));
    }
}
