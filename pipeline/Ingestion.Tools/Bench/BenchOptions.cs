using Ingestion.Tools.Synthetic;

namespace Ingestion.Tools.Bench;

/// <summary>What <c>ingest bench</c> runs.</summary>
public sealed record BenchOptions
{
    /// <summary>Students in the generated export.</summary>
    public required long Students { get; init; }

    /// <summary>The share of valid students the nightly re-run's export changes (1% by default).</summary>
    public double ChangedFraction { get; init; } = 0.01;

    public ExportFormat Format { get; init; } = ExportFormat.Json;

    /// <summary>Break the pipeline phases' time down by stage (<see cref="PipelineProfile"/>).</summary>
    public bool Profile { get; init; }

    /// <summary>Where the exports and the data folders go; a new folder under the system's temp folder by default.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Keep the work folder (exports, data folders, reports) instead of deleting it.</summary>
    public bool Keep { get; init; }

    /// <summary>Child executions a Distributed Map runs at once; the pipeline's default when null.</summary>
    public int? MaxChildConcurrency { get; init; }

    /// <summary>Which phases to run (all by default), e.g. only the pipeline's while optimising it.</summary>
    public IReadOnlySet<BenchPhase>? Phases { get; init; }

    /// <summary>Told of each phase's start, its progress (students done of total) and its end.</summary>
    public Action<BenchProgress>? Progress { get; init; }
}

/// <summary>A benchmark phase.</summary>
public enum BenchPhase
{
    PipelineFirstLoad,
    PipelineRerun,
    BaselineFirstLoad,
    BaselineRerun,
}

/// <summary>Where a running benchmark is.</summary>
/// <param name="Step">What is running: generating the exports, or a phase's name.</param>
public readonly record struct BenchProgress(string Step, long Done, long Total, bool Finished);
