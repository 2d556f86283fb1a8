using System.Diagnostics;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Local;
using Ingestion.Local.Definitions;
using Ingestion.Tools.Cost;
using Ingestion.Tools.Synthetic;

namespace Ingestion.Tools.Bench;

/// <summary>
/// <c>ingest bench</c>: generates a synthetic export and its nightly re-run, then measures, each on a fresh data
/// folder, the pipeline's first load and re-run (the whole <c>ingest run</c> path: upload, Object Created event, the
/// IngestFile definition in the interpreter, the handlers, SQLite, the outbox, the report) and the baseline's
/// (<see cref="BaselineIngest"/>).
/// </summary>
public static class BenchRunner
{
    public static async Task<BenchReport> RunAsync(BenchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Students);
        var work = options.WorkDirectory is { } chosen
            ? Path.GetFullPath(chosen)
            : Path.Combine(Path.GetTempPath(), "ingest-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        try
        {
            return await RunInAsync(options, work, cancellationToken);
        }
        finally
        {
            if (!options.Keep)
            {
                TryDelete(work);
            }
        }
    }

    private static async Task<BenchReport> RunInAsync(BenchOptions options, string work, CancellationToken cancellationToken)
    {
        var name = "students" + Extension(options.Format);
        var firstFile = Path.Combine(work, "exports", "first", name);
        var rerunFile = Path.Combine(work, "exports", "rerun", name);
        var first = Generate(options, firstFile, 0, "generate first load");
        var rerun = Generate(options, rerunFile, options.ChangedFraction, "generate nightly re-run");

        var phases = new List<BenchPhaseResult>();
        bool Runs(BenchPhase phase) => options.Phases?.Contains(phase) ?? true;
        var pipelineData = Path.Combine(work, "pipeline");
        var baselineData = Path.Combine(work, "baseline");
        var batchSize = DeployedShape.FromDefinition(options.Format).BatchSize;
        var resources = new LocalResources();
        var baselineVersion = 0;

        foreach (var (phase, file) in new[]
        {
            (BenchPhase.PipelineFirstLoad, firstFile),
            (BenchPhase.PipelineRerun, rerunFile),
            (BenchPhase.BaselineFirstLoad, firstFile),
            (BenchPhase.BaselineRerun, rerunFile),
        })
        {
            if (!Runs(phase))
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var title = BenchPhaseResult.TitleOf(phase);
            options.Progress?.Invoke(new BenchProgress(title, 0, options.Students, false));
            BenchPhaseResult result;
            if (phase is BenchPhase.PipelineFirstLoad or BenchPhase.PipelineRerun)
            {
                result = await PipelinePhaseAsync(options, phase, title, pipelineData, file, cancellationToken);
            }
            else
            {
                var source = new StudentSource(LocalPipeline.IncomingPrefix + name, $"baseline-{++baselineVersion}", DateTimeOffset.UtcNow);
                var run = new BaselineRun(
                    file,
                    options.Format,
                    Path.Combine(baselineData, "ingest.db"),
                    Path.Combine(baselineData, "reports", $"{name}.{baselineVersion}.report.json"),
                    source,
                    resources.StudentEventsTopicArn,
                    batchSize,
                    done => options.Progress?.Invoke(new BenchProgress(title, done, options.Students, false)));
                result = await MeasureAsync(phase, options.Students, async () => (await BaselineIngest.RunAsync(run, cancellationToken), "SUCCEEDED"), null);
            }

            options.Progress?.Invoke(new BenchProgress(title, options.Students, options.Students, true));
            phases.Add(result);
        }

        return new BenchReport(options, first, rerun, WithRatios(phases), PeakMemory.Method, Environment.ProcessorCount, work, options.Keep);
    }

    private static async Task<BenchPhaseResult> PipelinePhaseAsync(BenchOptions options, BenchPhase phase, string title, string data, string file, CancellationToken cancellationToken)
    {
        var pipelineOptions = LocalPipelineOptions.ForDataDirectory(data) with
        {
            OnMapRunProgress = run => options.Progress?.Invoke(new BenchProgress(title, run.Progress.Items.Succeeded + run.Progress.Items.Failed, options.Students, false)),
        };
        if (options.MaxChildConcurrency is { } concurrency)
        {
            pipelineOptions = pipelineOptions with { MaxChildConcurrency = concurrency };
        }

        var profiler = options.Profile ? new PipelineProfiler() : null;
        pipelineOptions = profiler?.Attach(pipelineOptions) ?? pipelineOptions;
        return await MeasureAsync(phase, options.Students, async () =>
        {
            // What `ingest run FILE` does: open the data folder, upload, follow the execution, close.
            await using var pipeline = LocalPipeline.Open(pipelineOptions);
            var result = await pipeline.IngestFileAsync(file, cancellationToken);
            return (result.Counts, result.Status);
        }, profiler);
    }

    private static async Task<BenchPhaseResult> MeasureAsync(BenchPhase phase, long students, Func<Task<(RunCounts Counts, string Status)>> run, PipelineProfiler? profiler)
    {
        using var peak = PeakMemory.Start();
        var before = PipelineProfiler.ReadClocks();
        var (counts, status) = await run();
        var after = PipelineProfiler.ReadClocks();
        var wall = Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp);
        return new BenchPhaseResult(phase, students, wall, peak.Peak(), counts, status, null, profiler?.Finish(before, after, students));
    }

    /// <summary>Each pipeline phase's speed over the baseline's in the same kind of run.</summary>
    private static List<BenchPhaseResult> WithRatios(List<BenchPhaseResult> phases)
    {
        double? Speed(BenchPhase phase) => phases.FirstOrDefault(p => p.Phase == phase)?.StudentsPerSecond;
        return
        [
            .. phases.Select(p => p.Phase switch
            {
                BenchPhase.PipelineFirstLoad when Speed(BenchPhase.BaselineFirstLoad) is > 0 and var b => p with { Ratio = p.StudentsPerSecond / b },
                BenchPhase.PipelineRerun when Speed(BenchPhase.BaselineRerun) is > 0 and var b => p with { Ratio = p.StudentsPerSecond / b },
                _ => p,
            }),
        ];
    }

    private static SyntheticExport Generate(BenchOptions options, string path, double changedFraction, string step)
    {
        options.Progress?.Invoke(new BenchProgress(step, 0, options.Students, false));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var export = SyntheticStudents.Write(output, options.Students, options.Format, changedFraction);
        options.Progress?.Invoke(new BenchProgress(step, options.Students, options.Students, true));
        return export;
    }

    private static string Extension(ExportFormat format) => format switch
    {
        ExportFormat.JsonLines => ".jsonl",
        ExportFormat.Csv => ".csv",
        _ => ".json",
    };

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Trace.WriteLine($"Could not delete {folder}: {e.Message}");
        }
    }
}
