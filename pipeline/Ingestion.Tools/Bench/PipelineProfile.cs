namespace Ingestion.Tools.Bench;

/// <summary>One stage of a pipeline run: its CPU time over every concurrent invocation.</summary>
/// <param name="What">What the stage covers, in a phrase.</param>
/// <param name="ElapsedSegments">Stretches that resumed on another thread and were counted at elapsed time (so may include waiting).</param>
public sealed record ProfileStage(string Name, string What, TimeSpan Time, long Calls, long ElapsedSegments);

/// <summary>
/// Where a pipeline run's time went. The arithmetic: the run had <c>Wall × Cores</c> core-seconds; the process used
/// <see cref="Cpu"/> of them (every thread, user and system time); each stage's CPU time was measured where it ran;
/// <see cref="EngineAndRuntime"/> is the rest of the process's CPU (the interpreter's state transitions and payload
/// JSON at the Lambda boundary, the ResultWriter, garbage collection, JIT); <see cref="Idle"/> is
/// what no thread used. Dividing each by <c>Cores</c> gives wall-equivalent seconds, which add up to the wall time.
/// </summary>
public sealed record PipelineProfile(
    TimeSpan Wall,
    TimeSpan Cpu,
    int Cores,
    long Students,
    IReadOnlyList<ProfileStage> Stages,
    TimeSpan EngineAndRuntime,
    TimeSpan GcPauses,
    TimeSpan JitTime,
    long AllocatedBytes,
    bool ServerGc)
{
    /// <summary>Core-seconds nobody used: waiting on I/O, on the one SQLite writer, or for work.</summary>
    public TimeSpan Idle
    {
        get
        {
            var idle = (Wall * Cores) - Cpu;
            return idle < TimeSpan.Zero ? TimeSpan.Zero : idle;
        }
    }

    /// <summary>Every line of the breakdown in order: the stages, the engine and runtime, the idle time.</summary>
    public IEnumerable<(string Name, string What, TimeSpan CpuTime)> Lines()
    {
        foreach (var stage in Stages)
        {
            yield return (stage.Name, stage.What, stage.Time);
        }

        yield return ("engine + runtime", $"the rest of the CPU: interpreter, Lambda payload JSON, ResultWriter; GC pauses {GcPauses.TotalSeconds:F2} s, JIT {JitTime.TotalSeconds:F2} s", EngineAndRuntime);
        yield return ("idle", "core time no thread used (waiting for I/O, the SQLite writer, or work)", Idle);
    }

    /// <summary>A line's wall-equivalent seconds: its CPU time spread over every core.</summary>
    public TimeSpan WallEquivalent(TimeSpan cpuTime) => cpuTime / Cores;

    /// <summary>CPU microseconds per student.</summary>
    public double MicrosecondsPerStudent(TimeSpan cpuTime) => Students == 0 ? 0 : cpuTime.TotalMicroseconds / Students;
}
