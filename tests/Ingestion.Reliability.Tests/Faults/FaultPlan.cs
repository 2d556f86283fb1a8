using System.Collections.Concurrent;

namespace Ingestion.Reliability.Tests.Faults;

/// <summary>Where a fault is injected: which adapter, and whether before the call or after it took effect.</summary>
public enum FaultSite
{
    Store,
    Ledger,
    Objects,
    Outbox,
}

/// <summary>
/// What goes wrong, and how often: transient errors at a rate per adapter (of the kinds the definitions retry),
/// permanent errors for chosen records until <see cref="Clear"/>, and latency. Seeded, with one random sequence per
/// site and per kind of fault: the n-th call to the store meets the same fate every run, however the calls of the
/// different adapters interleave.
/// </summary>
public sealed class FaultPlan(int seed)
{
    private readonly ConcurrentDictionary<string, Random> _randoms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<FaultSite, double> _transientRates = new();
    private readonly ConcurrentDictionary<string, int> _injected = new(StringComparer.Ordinal);
    private volatile bool _cleared;

    /// <summary>A store write that fails after it committed (its response was lost), at this share of the calls.</summary>
    public double LostResponseRate { get; init; }

    /// <summary>The share of calls that first wait <see cref="MaxLatency"/> at most.</summary>
    public double LatencyRate { get; init; }

    public TimeSpan MaxLatency { get; init; } = TimeSpan.FromMilliseconds(3);

    /// <summary>Records (by index in the file) whose store batch fails every time until <see cref="Clear"/>.</summary>
    public Func<long, bool> PermanentlyFailing { get; init; } = _ => false;

    /// <summary>Which object-store calls may fail: by default the handlers' calls, not Step Functions' own (see <see cref="FaultyObjectStore"/>).</summary>
    public Func<string, string, bool> ObjectCallMayFail { get; init; } = FaultyObjectStore.IsHandlerCall;

    /// <summary>How many faults of each kind were injected (<c>Store.transient</c>, <c>Store.permanent</c>, …).</summary>
    public IReadOnlyDictionary<string, int> Injected => _injected;

    public int Count(string kind) => _injected.GetValueOrDefault(kind);

    public FaultPlan Transient(FaultSite site, double rate)
    {
        _transientRates[site] = rate;
        return this;
    }

    /// <summary>The fault has been repaired: nothing fails any more.</summary>
    public void Clear() => _cleared = true;

    public bool IsCleared => _cleared;

    internal async ValueTask BeforeAsync(FaultSite site, CancellationToken cancellationToken)
    {
        if (_cleared)
        {
            return;
        }

        if (Draw("latency") < LatencyRate)
        {
            await Task.Delay(TimeSpan.FromTicks((long)(MaxLatency.Ticks * Draw("latency"))), TimeProvider.System, cancellationToken);
        }

        if (Draw(site.ToString()) < _transientRates.GetValueOrDefault(site))
        {
            Record($"{site}.transient");
            throw Faults.Transient(site);
        }
    }

    internal bool LoseResponse() => !_cleared && LostResponseRate > 0 && Draw("lostResponse") < LostResponseRate;

    internal bool FailsPermanently(IEnumerable<long> indexes) => !_cleared && indexes.Any(PermanentlyFailing);

    internal void Record(string kind) => _injected.AddOrUpdate(kind, 1, (_, n) => n + 1);

    private double Draw(string sequence)
    {
        var random = _randoms.GetOrAdd(sequence, name => new Random(unchecked((seed * 7919) + StableHash(name))));
        lock (random)
        {
            return random.NextDouble();
        }
    }

    // string.GetHashCode and HashCode differ from process to process; the seeds must not.
    private static int StableHash(string text) => text.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));
}
