using Ingestion.Local;
using Spectre.Console;

namespace Ingestion.Cli.Output;

/// <summary>
/// Follows a file's run on standard error: a live bar on a terminal (students processed of the total, the rate),
/// otherwise a plain line every few seconds, and at once when a database becomes locked by another process or is
/// let go. The total is known only once the file is read; until then it is shown as an estimate (<c>~</c>) from the
/// share of the file read.
/// </summary>
internal static class RunProgressView
{
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PlainLook = TimeSpan.FromMilliseconds(250);

    public static async Task<FileRunResult> FollowAsync(CliHost host, FileRun run, string label, CancellationToken abort)
    {
        var completion = run.CompleteAsync(abort);
        if (host.ErrorIsTerminal)
        {
            await host.ErrorConsole().Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Formats.Cell(label), maxValue: 1);
                    task.IsIndeterminate = true;
                    while (!completion.IsCompleted)
                    {
                        Update(task, label, run.Progress);
                        await Task.WhenAny(completion, Task.Delay(LiveRefresh, CancellationToken.None));
                    }

                    Update(task, label, run.Progress);
                    task.StopTask();
                });
        }
        else
        {
            var lastLine = System.Diagnostics.Stopwatch.StartNew();
            string? locked = null;
            while (await Task.WhenAny(completion, Task.Delay(PlainLook, CancellationToken.None)) != completion)
            {
                var progress = run.Progress;
                if (lastLine.Elapsed >= PlainEvery || progress.LockedDatabase != locked)
                {
                    host.ErrorLine($"{label}: {Describe(progress)}");
                    locked = progress.LockedDatabase;
                    lastLine.Restart();
                }
            }
        }

        return await completion;
    }

    private static void Update(ProgressTask task, string label, IngestProgress progress)
    {
        task.Description = $"{Formats.Cell(label)}  [grey]{Formats.Cell(Describe(progress))}[/]";
        if (progress.EstimatedTotal is { } total and > 0)
        {
            task.IsIndeterminate = false;
            task.MaxValue = total;
            task.Value = Math.Min(progress.StudentsProcessed, total);
        }
    }

    /// <summary>
    /// <c>120,000 of ~1,000,000 students, 95,000/s</c>; while a database is locked, that too, so a count that stands
    /// still is explained (<c>…; waiting: .ingest/ingest.db is locked by another process</c>).
    /// </summary>
    public static string Describe(IngestProgress progress)
    {
        var counts = progress.Phase switch
        {
            IngestPhase.Registering => "registering",
            IngestPhase.Processing => $"{Formats.Count(progress.StudentsProcessed)} of {Total(progress)} students, {Formats.Rate(progress.StudentsPerSecond)}",
            IngestPhase.Summarizing => $"{Formats.Count(progress.StudentsProcessed)} students, {Formats.Rate(progress.StudentsPerSecond)}; writing the report",
            _ => $"{Formats.Count(progress.StudentsProcessed)} students",
        };
        return progress.LockedDatabase is { } database
            ? $"{counts}; waiting: {Shown(database)} is locked by another process (it goes on once that lets go)"
            : counts;
    }

    /// <summary>A path as short as it stays clear: relative below the current folder, whole elsewhere.</summary>
    private static string Shown(string path) =>
        Path.GetRelativePath(Environment.CurrentDirectory, path) is var relative && !relative.StartsWith("..", StringComparison.Ordinal) ? relative : path;

    private static string Total(IngestProgress progress) =>
        progress.Total is { } exact ? Formats.Count(exact)
        : progress.EstimatedTotal is { } estimate ? "~" + Formats.Count(estimate)
        : "?";
}
