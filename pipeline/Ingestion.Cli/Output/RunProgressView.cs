using Ingestion.Local;
using Spectre.Console;

namespace Ingestion.Cli.Output;

/// <summary>
/// Follows a file's run on standard error: a live bar on a terminal (students processed of the total, the rate),
/// otherwise a plain line every few seconds. The total is known only once the file is read; until then it is
/// shown as an estimate (<c>~</c>) from the share of the file read.
/// </summary>
internal static class RunProgressView
{
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(5);

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
            while (await Task.WhenAny(completion, Task.Delay(PlainEvery, CancellationToken.None)) != completion)
            {
                host.ErrorLine($"{label}: {Describe(run.Progress)}");
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

    /// <summary><c>120,000 of ~1,000,000 students, 95,000/s</c>.</summary>
    public static string Describe(IngestProgress progress) => progress.Phase switch
    {
        IngestPhase.Registering => "registering",
        IngestPhase.Processing => $"{Formats.Count(progress.StudentsProcessed)} of {Total(progress)} students, {Formats.Rate(progress.StudentsPerSecond)}",
        IngestPhase.Summarizing => $"{Formats.Count(progress.StudentsProcessed)} students, {Formats.Rate(progress.StudentsPerSecond)}; writing the report",
        _ => $"{Formats.Count(progress.StudentsProcessed)} students",
    };

    private static string Total(IngestProgress progress) =>
        progress.Total is { } exact ? Formats.Count(exact)
        : progress.EstimatedTotal is { } estimate ? "~" + Formats.Count(estimate)
        : "?";
}
