using System.Diagnostics;
using System.Globalization;

namespace Ingestion.Tools.Bench;

/// <summary>
/// The peak working set of one phase of a benchmark that runs several phases in one process.
/// </summary>
/// <remarks>
/// On Linux the kernel keeps the process's peak resident set (<c>VmHWM</c> in <c>/proc/self/status</c>), and writing
/// <c>5</c> to <c>/proc/self/clear_refs</c> resets it to the current resident set. Before a phase the previous one's
/// garbage is collected and its memory returned to the system (an aggressive, compacting GC), then the peak is reset;
/// after the phase <c>VmHWM</c> is its peak, runtime included, exactly as a process of its own would report it, without
/// a second process and its start-up in the timing. Elsewhere (or if the reset is refused) the working set is sampled
/// every 10 ms during the phase instead, which can miss a short spike.
/// </remarks>
internal sealed class PeakMemory : IDisposable
{
    private const string ClearRefs = "/proc/self/clear_refs";
    private const string Status = "/proc/self/status";

    private readonly Timer? _sampler;
    private long _sampledPeak;

    private PeakMemory(bool kernelPeak)
    {
        KernelPeak = kernelPeak;
        if (!kernelPeak)
        {
            _sampledPeak = Environment.WorkingSet;
            _sampler = new Timer(_ => Sample(), null, 0, 10);
        }
    }

    /// <summary>Whether the peak comes from the kernel's reset counter (else from sampling).</summary>
    public bool KernelPeak { get; }

    /// <summary>How the peak is measured, for the report.</summary>
    public static string Method => CanReset()
        ? "Linux VmHWM, reset between phases through /proc/self/clear_refs after a compacting GC (one process, no start-up in the timings)"
        : "working set sampled every 10 ms during each phase";

    /// <summary>Frees what earlier phases left behind and starts measuring.</summary>
    public static PeakMemory Start()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return new PeakMemory(TryReset());
    }

    /// <summary>The peak working set in bytes since <see cref="Start"/>.</summary>
    public long Peak()
    {
        if (KernelPeak && ReadStatus("VmHWM:") is { } kernel)
        {
            return kernel;
        }

        Sample();
        return Interlocked.Read(ref _sampledPeak);
    }

    public void Dispose() => _sampler?.Dispose();

    private void Sample()
    {
        var now = Environment.WorkingSet;
        long seen;
        do
        {
            seen = Interlocked.Read(ref _sampledPeak);
        }
        while (now > seen && Interlocked.CompareExchange(ref _sampledPeak, now, seen) != seen);
    }

    private static bool CanReset() => OperatingSystem.IsLinux() && File.Exists(ClearRefs) && File.Exists(Status);

    private static bool TryReset()
    {
        if (!CanReset())
        {
            return false;
        }

        try
        {
            File.WriteAllText(ClearRefs, "5");
            return ReadStatus("VmHWM:") is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Trace.WriteLine($"Could not reset the peak resident set ({e.Message}); sampling instead.");
            return false;
        }
    }

    /// <summary>A <c>kB</c> line of <c>/proc/self/status</c>, in bytes.</summary>
    private static long? ReadStatus(string field)
    {
        foreach (var line in File.ReadLines(Status))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var number = line[field.Length..].Trim();
                var space = number.IndexOf(' ', StringComparison.Ordinal);
                return long.TryParse(space < 0 ? number : number[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes) ? kilobytes * 1024 : null;
            }
        }

        return null;
    }
}
