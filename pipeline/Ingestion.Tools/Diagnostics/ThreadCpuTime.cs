using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Ingestion.Tools.Diagnostics;

/// <summary>
/// The CPU time the calling thread has used, for profiles that must not count time a thread spent waiting for a
/// core or a lock. Linux only (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, a vDSO call of ~50 ns); elsewhere
/// <see cref="IsSupported"/> is false and <see cref="Now"/> falls back to elapsed time.
/// </summary>
/// <remarks>
/// A delta is only meaningful between two readings on the same thread: measure synchronous stretches of code, and
/// treat an interval that resumed on another thread (after an <c>await</c>) as elapsed time instead.
/// </remarks>
public static class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>Whether <see cref="Now"/> reads the thread's CPU clock (else elapsed time).</summary>
    public static bool IsSupported { get; } = Probe();

    /// <summary>The calling thread's CPU time so far, in nanoseconds (elapsed nanoseconds where unsupported).</summary>
    public static long Now()
    {
        if (IsSupported && NativeMethods.clock_gettime(ClockThreadCpuTimeId, out var value) == 0)
        {
            return (value.Seconds * 1_000_000_000L) + value.Nanoseconds;
        }

        return (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return NativeMethods.clock_gettime(ClockThreadCpuTimeId, out _) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "clock_gettime")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int clock_gettime(int clockId, out TimeSpec value);
    }
}
