using Ingestion.Domain.Students;
using Ingestion.Tools.Synthetic;

namespace Ingestion.Tools.Bench;

/// <summary>The targets of issue 8 on a 2-core machine; the benchmark prints them next to its figures and never asserts them.</summary>
public static class BenchTargets
{
    public const double FirstLoadStudentsPerSecond = 100_000;
    public const double RerunStudentsPerSecond = 200_000;
    public const double PipelineToBaseline = 0.5;
    public const long PeakWorkingSetBytes = 400L * 1024 * 1024;

    /// <summary>The students/s target of a phase (first loads and re-runs have their own).</summary>
    public static double StudentsPerSecond(BenchPhase phase) => phase is BenchPhase.PipelineFirstLoad or BenchPhase.BaselineFirstLoad
        ? FirstLoadStudentsPerSecond
        : RerunStudentsPerSecond;
}

/// <summary>One phase's figures.</summary>
/// <param name="PeakWorkingSetBytes">The process's peak resident set while the phase ran (see <see cref="BenchReport.PeakMethod"/>).</param>
/// <param name="Ratio">For a pipeline phase: its students/s over the baseline's in the same kind of run; null when the baseline did not run.</param>
/// <param name="Profile">The stage breakdown, for pipeline phases run with <see cref="BenchOptions.Profile"/>.</param>
public sealed record BenchPhaseResult(
    BenchPhase Phase,
    long Students,
    TimeSpan Wall,
    long PeakWorkingSetBytes,
    RunCounts Counts,
    string Status,
    double? Ratio,
    PipelineProfile? Profile)
{
    public double StudentsPerSecond => Wall > TimeSpan.Zero ? Students / Wall.TotalSeconds : 0;

    public bool IsPipeline => Phase is BenchPhase.PipelineFirstLoad or BenchPhase.PipelineRerun;

    /// <summary><c>pipeline-first-load</c>, <c>pipeline-rerun</c>, <c>baseline-first-load</c>, <c>baseline-rerun</c>.</summary>
    public string Name => NameOf(Phase);

    public static string NameOf(BenchPhase phase) => phase switch
    {
        BenchPhase.PipelineFirstLoad => "pipeline-first-load",
        BenchPhase.PipelineRerun => "pipeline-rerun",
        BenchPhase.BaselineFirstLoad => "baseline-first-load",
        _ => "baseline-rerun",
    };

    /// <summary>How the phase is described to a person.</summary>
    public static string TitleOf(BenchPhase phase) => phase switch
    {
        BenchPhase.PipelineFirstLoad => "pipeline, first load",
        BenchPhase.PipelineRerun => "pipeline, nightly re-run",
        BenchPhase.BaselineFirstLoad => "baseline, first load",
        _ => "baseline, nightly re-run",
    };
}

/// <summary>What a benchmark generated and measured.</summary>
/// <param name="FirstExport">The first load's export.</param>
/// <param name="RerunExport">The re-run's export: the same students, <see cref="BenchOptions.ChangedFraction"/> of the valid ones changed.</param>
/// <param name="PeakMethod">How peak working sets were measured.</param>
/// <param name="WorkDirectory">Where the exports and data folders are (deleted afterwards unless kept).</param>
public sealed record BenchReport(
    BenchOptions Options,
    SyntheticExport FirstExport,
    SyntheticExport RerunExport,
    IReadOnlyList<BenchPhaseResult> Phases,
    string PeakMethod,
    int Cores,
    string WorkDirectory,
    bool Kept)
{
    /// <summary>Valid students: what the first load creates.</summary>
    public long Valid => FirstExport.Students - FirstExport.Invalid;

    /// <summary>Disagreements between the phases' counts and what the exports hold (empty when all agree).</summary>
    public IReadOnlyList<string> Inconsistencies()
    {
        var problems = new List<string>();
        foreach (var phase in Phases)
        {
            var c = phase.Counts;
            var first = phase.Phase is BenchPhase.PipelineFirstLoad or BenchPhase.BaselineFirstLoad;
            var changed = first ? 0 : RerunExport.Changed;
            void Expect(string what, long actual, long expected)
            {
                if (actual != expected)
                {
                    problems.Add($"{phase.Name}: {what} {actual:N0}, expected {expected:N0}");
                }
            }

            Expect("received", c.Received, FirstExport.Students);
            Expect("rejected", c.Rejected, FirstExport.Invalid);
            Expect("created", c.Created, first ? Valid : 0);
            Expect("updated", c.Updated, changed);
            Expect("unchanged", c.Unchanged, first ? 0 : Valid - changed);
            Expect("notified", c.Notified, first ? Valid : changed);
            Expect("failed", c.Failed, 0);
        }

        return problems;
    }
}
