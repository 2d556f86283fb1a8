using System.Diagnostics;
using Ingestion.Tools.Diagnostics;

namespace Ingestion.Tools.Bench;

/// <summary>
/// Adds up the CPU time one stage of the pipeline takes, across every concurrent invocation, without counting the
/// time an invocation spends waiting (for a core, a lock, a commit).
/// </summary>
/// <remarks>
/// An invocation is measured in segments, each one a synchronous stretch of code between two readings of the
/// thread's CPU clock on one thread (<see cref="ThreadCpuTime"/>). A wait the profiler controls (the store's write
/// lock) closes the segment and opens a new one after it (<see cref="Pause"/>/<see cref="Resume"/> on the
/// invocation's <see cref="Segment"/>, found through an <see cref="AsyncLocal{T}"/>). A segment that ends on another
/// thread than it began (an await the profiler does not control) cannot be measured in CPU time: it is counted at
/// its elapsed time instead, and reported (<see cref="ElapsedSegments"/>).
/// </remarks>
internal sealed class StageMeter(string name)
{
    private static readonly AsyncLocal<Segment?> Current = new();

    private long _cpuNanoseconds;
    private long _calls;
    private long _elapsedSegments;

    public string Name { get; } = name;

    public TimeSpan Time => TimeSpan.FromTicks(Interlocked.Read(ref _cpuNanoseconds) / 100);

    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Segments that resumed on another thread and were counted at elapsed time.</summary>
    public long ElapsedSegments => Interlocked.Read(ref _elapsedSegments);

    /// <summary>The segment of the invocation running on this logical flow, if a stage is being measured.</summary>
    public static Segment? Active => Current.Value;

    /// <summary>Measures one invocation of an asynchronous call.</summary>
    public async Task<T> MeasureAsync<T>(Func<Task<T>> call)
    {
        Interlocked.Increment(ref _calls);
        var outer = Current.Value;
        outer?.Pause();
        var segment = new Segment(this);
        Current.Value = segment;
        try
        {
            segment.Resume();
            return await call();
        }
        finally
        {
            segment.Pause();
            Current.Value = outer;
            outer?.Resume();
        }
    }

    /// <summary>Measures a synchronous piece of work (no segment bookkeeping needed).</summary>
    public void Add(long nanoseconds, bool elapsed = false)
    {
        Interlocked.Add(ref _cpuNanoseconds, nanoseconds);
        if (elapsed)
        {
            Interlocked.Increment(ref _elapsedSegments);
        }
    }

    /// <summary>Counts an invocation measured from outside (e.g. an observer's report).</summary>
    public void Count(long invocations = 1) => Interlocked.Add(ref _calls, invocations);

    /// <summary>One invocation's running measurement.</summary>
    internal sealed class Segment(StageMeter meter)
    {
        private int _thread = -1;
        private long _cpu;
        private long _ticks;

        /// <summary>Opens a segment on this thread.</summary>
        public void Resume()
        {
            _thread = Environment.CurrentManagedThreadId;
            _cpu = ThreadCpuTime.Now();
            _ticks = Stopwatch.GetTimestamp();
        }

        /// <summary>Closes the open segment, adding its CPU time (or, after a thread hop, its elapsed time).</summary>
        public void Pause()
        {
            if (_thread < 0)
            {
                return;
            }

            if (_thread == Environment.CurrentManagedThreadId)
            {
                meter.Add(ThreadCpuTime.Now() - _cpu);
            }
            else
            {
                meter.Add((long)Stopwatch.GetElapsedTime(_ticks).TotalNanoseconds, elapsed: true);
            }

            _thread = -1;
        }
    }
}
