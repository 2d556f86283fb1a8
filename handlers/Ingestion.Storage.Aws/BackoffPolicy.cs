namespace Ingestion.Storage.Aws;

/// <summary>Exponential backoff with full jitter, bounded: how the DynamoDB adapters wait out throttling.</summary>
/// <remarks>
/// Before retry <c>n</c> (1-based) the wait is uniformly random in <c>[0, min(MaxDelay, BaseDelay·2^(n-1)))</c>:
/// "full jitter", which spreads competing writers out better than a fixed or equal-jitter backoff. The delay and
/// the random source are injectable so tests neither sleep nor depend on chance.
/// </remarks>
public sealed record BackoffPolicy
{
    /// <summary>The policy of the AWS adapters: 8 attempts, 50 ms doubling up to 5 s (at most ~6.4 s of waiting in all).</summary>
    public static BackoffPolicy Default { get; } = new();

    /// <summary>Attempts in all, the first included; at least 1.</summary>
    public int MaxAttempts { get; init; } = 8;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Waits; <see cref="Task.Delay(TimeSpan, CancellationToken)"/> unless a test replaces it.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>A number in [0, 1).</summary>
    public Func<double> NextRandom { get; init; } = Random.Shared.NextDouble;

    /// <summary>The wait before retry <paramref name="retry"/> (1 for the first retry).</summary>
    public TimeSpan Backoff(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var ceiling = Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * Math.Pow(2, Math.Min(retry - 1, 30)));
        return TimeSpan.FromTicks((long)(NextRandom() * ceiling));
    }

    /// <summary>Waits before retry <paramref name="retry"/>.</summary>
    public Task WaitAsync(int retry, CancellationToken cancellationToken) => Delay(Backoff(retry), cancellationToken);
}
