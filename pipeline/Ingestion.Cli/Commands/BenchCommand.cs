using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Ingestion.Cli.Output;
using Ingestion.Domain;
using Ingestion.Tools.Bench;
using Ingestion.Tools.Synthetic;
using Spectre.Console;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest bench --students N</c>: the pipeline against the baseline on a synthetic export.</summary>
internal static class BenchCommand
{
    private static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(5);

    public static Command Create(CliHost host)
    {
        var students = new Option<long>("--students") { Description = "Students in the generated export.", Required = true, HelpName = "N" };
        var changed = new Option<double>("--changed-fraction")
        {
            Description = "Share of the valid students the nightly re-run's export changes.",
            DefaultValueFactory = _ => 0.01,
            HelpName = "F",
        };
        var format = new Option<string>("--format")
        {
            Description = "The export's format: json (an array), jsonl or csv.",
            DefaultValueFactory = _ => "json",
            HelpName = "FORMAT",
        };
        format.AcceptOnlyFromAmong("json", "jsonl", "csv");
        var profile = new Option<bool>("--profile") { Description = "Break the pipeline phases' time down by stage." };
        var keep = new Option<bool>("--keep") { Description = "Keep the work folder (exports, data folders, reports) and print where it is." };
        var workDir = new Option<string?>("--work-dir") { Description = "Where to put the exports and data folders (default: a new folder in the temp folder).", HelpName = "DIR" };
        var only = new Option<string?>("--only") { Description = "Run only the pipeline or only the baseline phases.", HelpName = "pipeline|baseline" };
        only.AcceptOnlyFromAmong("pipeline", "baseline");
        var concurrency = new Option<int?>("--max-child-concurrency")
        {
            Description = "Child executions a Distributed Map runs at once (default: the local runtime's).",
            HelpName = "N",
        };
        var json = CommandContext.Json("Print one JSON object per phase (phase, students, wallSeconds, studentsPerSecond, peakWorkingSetBytes, ratio, counts, targets[, profile]).");
        var command = new DocumentedCommand("bench", "Measure the pipeline against a minimal baseline on a generated export, first load and nightly re-run.", """
            Generate a deterministic synthetic export of N students (2% invalid records of varied kinds, extra attributes
            on some) and its nightly re-run (the same students, --changed-fraction of them changed), then measure, each
            on a fresh data folder in a temp folder:

              pipeline, first load     the whole `ingest run` path: upload, Object Created event, the IngestFile
                                       definition in the interpreter (Distributed Map, EXPRESS children), the
                                       handlers, SQLite, the outbox, the report
              pipeline, nightly re-run the re-run's export as a new upload of the same file
              baseline, first load     the same durable work with no orchestration: stream-parse, the same validator,
              baseline, nightly re-run one upsert per record under the same outcome rules in a transaction per
                                       batch, one outbox row per notification, the report

            Each phase reports students/s, wall time and the process's peak working set while it ran; pipeline phases
            also their speed over the baseline's. The targets (2 cores) are printed next to the figures, never asserted:
            first load >= 100,000 students/s, re-run >= 200,000 students/s, pipeline/baseline >= 0.5, peak working set
            <= 400 MB whatever N. --profile adds where the pipeline's CPU went, stage by stage.

            Exit code: 0 when every phase ran and their counts agree with the export, 1 otherwise.

            Example:
              ingest bench --students 1000000
              ingest bench --students 200000 --format csv --profile
            """)
        {
            students, changed, format, profile, keep, workDir, only, concurrency, json,
        };
        command.SetAction((parse, stop) => RunAsync(host, new BenchOptions
        {
            Students = parse.GetValue(students),
            ChangedFraction = parse.GetValue(changed),
            Format = parse.GetValue(format) switch
            {
                "jsonl" => ExportFormat.JsonLines,
                "csv" => ExportFormat.Csv,
                _ => ExportFormat.Json,
            },
            Profile = parse.GetValue(profile),
            Keep = parse.GetValue(keep),
            WorkDirectory = parse.GetValue(workDir),
            MaxChildConcurrency = parse.GetValue(concurrency),
            Phases = parse.GetValue(only) switch
            {
                "pipeline" => new HashSet<BenchPhase> { BenchPhase.PipelineFirstLoad, BenchPhase.PipelineRerun },
                "baseline" => new HashSet<BenchPhase> { BenchPhase.BaselineFirstLoad, BenchPhase.BaselineRerun },
                _ => null,
            },
        }, parse.GetValue(json), stop));
        return command;
    }

    private static async Task<int> RunAsync(CliHost host, BenchOptions options, bool json, CancellationToken stop)
    {
        if (options.Students <= 0)
        {
            await host.Error.WriteLineAsync("ingest bench: --students must be at least 1.");
            return ExitCodes.Usage;
        }

        if (options.MaxChildConcurrency is < 1)
        {
            await host.Error.WriteLineAsync("ingest bench: --max-child-concurrency must be at least 1.");
            return ExitCodes.Usage;
        }

        if (options.ChangedFraction is < 0 or > 1)
        {
            await host.Error.WriteLineAsync("ingest bench: --changed-fraction must be between 0 and 1.");
            return ExitCodes.Usage;
        }

        if (typeof(BenchRunner).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true)
        {
            await host.Error.WriteLineAsync(
                "ingest bench: this is a Debug build, whose figures understate the pipeline; for figures worth comparing: "
                + "dotnet run -c Release --project pipeline/Ingestion.Cli -- bench ...");
        }

        using var abort = CancellationTokenSource.CreateLinkedTokenSource(stop, host.Abort);
        var progress = new ProgressLines(host.Error);
        var report = await BenchRunner.RunAsync(options with { Progress = progress.Report }, abort.Token);
        var problems = report.Inconsistencies();
        if (json)
        {
            foreach (var phase in report.Phases)
            {
                JsonLines.Write(host.Out, writer => WriteJson(writer, report, phase));
            }
        }
        else
        {
            Print(host, report);
        }

        foreach (var problem in problems)
        {
            await host.Error.WriteLineAsync($"ingest bench: counts disagree: {problem}");
        }

        return problems.Count == 0 && report.Phases.All(p => p.Status == "SUCCEEDED") ? ExitCodes.Success : ExitCodes.Failed;
    }

    private static void Print(CliHost host, BenchReport report)
    {
        var first = report.FirstExport;
        host.MarkupLine($"{
            $"ingest bench: {Formats.Count(first.Students)} students ({FormatName(report.Options.Format)}, {Megabytes(first.Bytes)}; {Formats.Count(first.Invalid)} invalid; "
            + $"the re-run changes {Formats.Count(report.RerunExport.Changed)}), {report.Cores} cores"}");
        // Under 120 columns the targets and counts (sentences) leave the table for a line per phase below it, so the
        // figures keep their columns.
        var narrow = host.OutIsNarrow;
        var table = new Table();
        table.AddColumn(new TableColumn("Phase").NoWrap());
        table.AddColumn(new TableColumn("Students/s").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("Wall").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("Peak WS").RightAligned().NoWrap());
        table.AddColumn(new TableColumn(narrow ? "÷ baseline" : "Pipeline/baseline").RightAligned().NoWrap());
        if (!narrow)
        {
            table.AddColumns("Target", "Counts");
        }

        foreach (var phase in report.Phases)
        {
            table.AddRow([
                Markup.Escape(BenchPhaseResult.TitleOf(phase.Phase)),
                Formats.Count((long)phase.StudentsPerSecond),
                Markup.Escape(Seconds(phase.Wall)),
                Markup.Escape(Megabytes(phase.PeakWorkingSetBytes)),
                phase.Ratio is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) : "",
                .. narrow ? Array.Empty<string>() : [Markup.Escape(Targets(phase)), Markup.Escape(Counts(phase))],
            ]);
        }

        host.Render(table);
        foreach (var phase in narrow ? report.Phases : [])
        {
            host.MarkupLine($"{BenchPhaseResult.TitleOf(phase.Phase)}: {Targets(phase)}; {Counts(phase)}.");
        }

        host.MarkupLine($"Peak working set: {report.PeakMethod}.");
        if (report.Kept)
        {
            host.MarkupLine($"Work folder kept: {report.WorkDirectory}");
        }

        foreach (var phase in report.Phases.Where(p => p.Profile is not null))
        {
            PrintProfile(host, phase);
        }
    }

    private static void PrintProfile(CliHost host, BenchPhaseResult phase)
    {
        var profile = phase.Profile!;
        host.Out.WriteLine();
        host.MarkupLine($"{
            $"Where the time went, {BenchPhaseResult.TitleOf(phase.Phase)}: wall {Seconds(profile.Wall)} x {profile.Cores} cores = {Seconds(profile.Wall * profile.Cores)} of core time; "
            + $"the process used {Seconds(profile.Cpu)} of CPU. Each stage's CPU time is measured where it runs (concurrent invocations add up); "
            + "divided by the cores it is wall-equivalent time, and the lines add up to the wall time."}");
        // Under 120 columns "÷ cores" and Calls go (--json has them), so that what each stage is keeps room for its words.
        var narrow = host.OutIsNarrow;
        var table = new Table();
        table.AddColumn(new TableColumn("Stage"));
        table.AddColumn(new TableColumn("CPU").RightAligned().NoWrap());
        if (!narrow)
        {
            table.AddColumn(new TableColumn("÷ cores").RightAligned());
        }

        table.AddColumn(new TableColumn("Share").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("µs/student").RightAligned().NoWrap());
        if (!narrow)
        {
            table.AddColumn(new TableColumn("Calls").RightAligned());
        }

        table.AddColumn(new TableColumn("What"));
        var total = profile.Wall * profile.Cores;
        foreach (var (name, what, cpu) in profile.Lines())
        {
            var stage = profile.Stages.FirstOrDefault(s => s.Name == name);
            var share = total > TimeSpan.Zero ? (cpu / total).ToString("0%", CultureInfo.InvariantCulture) : "";
            var perStudent = profile.MicrosecondsPerStudent(cpu).ToString("0.0", CultureInfo.InvariantCulture);
            var description = Markup.Escape(what + (stage is { ElapsedSegments: > 0 } ? $" ({Formats.Count(stage.ElapsedSegments)} stretches resumed on another thread: elapsed time)" : ""));
            table.AddRow(narrow
                ? [Markup.Escape(name), Markup.Escape(Seconds(cpu)), share, perStudent, description]
                : [Markup.Escape(name), Markup.Escape(Seconds(cpu)), Markup.Escape(Seconds(profile.WallEquivalent(cpu))), share, perStudent, stage is null ? "" : Formats.Count(stage.Calls), description]);
        }

        host.Render(table);
        host.MarkupLine($"Allocated {Megabytes(profile.AllocatedBytes)} ({Formats.Count(profile.Students == 0 ? 0 : profile.AllocatedBytes / profile.Students)} bytes a student); {(profile.ServerGc ? "server" : "workstation")} GC.");
    }

    private static void WriteJson(System.Text.Json.Utf8JsonWriter writer, BenchReport report, BenchPhaseResult phase)
    {
        writer.WriteStartObject();
        writer.WriteString("phase", phase.Name);
        writer.WriteNumber("students", phase.Students);
        writer.WriteString("format", FormatName(report.Options.Format));
        writer.WriteNumber("changedFraction", report.Options.ChangedFraction);
        writer.WriteString("status", phase.Status);
        writer.WriteNumber("wallSeconds", Math.Round(phase.Wall.TotalSeconds, 3));
        writer.WriteNumber("studentsPerSecond", Math.Round(phase.StudentsPerSecond));
        writer.WriteNumber("peakWorkingSetBytes", phase.PeakWorkingSetBytes);
        if (phase.Ratio is { } ratio)
        {
            writer.WriteNumber("ratio", Math.Round(ratio, 3));
        }
        else
        {
            writer.WriteNull("ratio");
        }

        writer.WriteNumber("cores", report.Cores);
        writer.WritePropertyName("counts");
        DomainJson.Write(writer, phase.Counts);
        writer.WriteStartObject("targets");
        writer.WriteNumber("studentsPerSecond", BenchTargets.StudentsPerSecond(phase.Phase));
        writer.WriteNumber("peakWorkingSetBytes", BenchTargets.PeakWorkingSetBytes);
        if (phase.IsPipeline)
        {
            writer.WriteNumber("ratio", BenchTargets.PipelineToBaseline);
        }

        writer.WriteEndObject();
        if (phase.Profile is { } profile)
        {
            writer.WriteStartObject("profile");
            writer.WriteNumber("cpuSeconds", Math.Round(profile.Cpu.TotalSeconds, 3));
            writer.WriteNumber("allocatedBytes", profile.AllocatedBytes);
            writer.WriteStartArray("stages");
            foreach (var (name, _, cpu) in profile.Lines())
            {
                writer.WriteStartObject();
                writer.WriteString("stage", name);
                writer.WriteNumber("cpuSeconds", Math.Round(cpu.TotalSeconds, 3));
                writer.WriteNumber("wallEquivalentSeconds", Math.Round(profile.WallEquivalent(cpu).TotalSeconds, 3));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static string Targets(BenchPhaseResult phase)
    {
        var parts = new List<string> { $">= {Formats.Count((long)BenchTargets.StudentsPerSecond(phase.Phase))}/s {Mark(phase.StudentsPerSecond >= BenchTargets.StudentsPerSecond(phase.Phase))}" };
        if (phase.IsPipeline)
        {
            parts.Add($"ratio >= 0.5 {(phase.Ratio is { } r ? Mark(r >= BenchTargets.PipelineToBaseline) : "(no baseline)")}");
        }

        parts.Add($"<= 400 MB {Mark(phase.PeakWorkingSetBytes <= BenchTargets.PeakWorkingSetBytes)}");
        return string.Join(", ", parts);
    }

    private static string Mark(bool met) => met ? "met" : "MISSED";

    private static string Counts(BenchPhaseResult phase)
    {
        var c = phase.Counts;
        var parts = new List<string>();
        void Add(long value, string what)
        {
            if (value > 0)
            {
                parts.Add($"{Formats.Count(value)} {what}");
            }
        }

        Add(c.Created, "created");
        Add(c.Updated, "updated");
        Add(c.Unchanged, "unchanged");
        Add(c.Replayed, "replayed");
        Add(c.Stale, "stale");
        Add(c.Rejected, "rejected");
        Add(c.Failed, "failed");
        return phase.Status == "SUCCEEDED" ? string.Join(", ", parts) : $"{phase.Status}: {string.Join(", ", parts)}";
    }

    private static string FormatName(ExportFormat format) => format switch
    {
        ExportFormat.JsonLines => "jsonl",
        ExportFormat.Csv => "csv",
        _ => "json",
    };

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture) + " MB";

    /// <summary>Progress on standard error: a line when a step starts and ends, and every few seconds in between.</summary>
    private sealed class ProgressLines(TextWriter error)
    {
        private readonly object _gate = new();
        private DateTime _nextLine = DateTime.MinValue;
        private string? _step;

        public void Report(BenchProgress progress)
        {
            lock (_gate)
            {
                var now = DateTime.UtcNow;
                var started = progress.Step != _step;
                _step = progress.Step;
                if (progress.Finished || started || (progress.Done > 0 && now >= _nextLine))
                {
                    _nextLine = now + PlainEvery;
                    error.WriteLine(progress.Finished
                        ? $"{progress.Step}: done"
                        : progress.Done == 0 ? $"{progress.Step}…" : $"{progress.Step}: {Formats.Count(progress.Done)} of {Formats.Count(progress.Total)} students");
                }
            }
        }
    }
}
