namespace Ingestion.States.Runtime;

internal static class Waits
{
    /// <summary>Waits on the engine's clock; a virtual clock jumps instead, so tests never sleep.</summary>
    public static Task DelayAsync(TimeProvider clock, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        }

        if (clock is VirtualTimeProvider virtualClock)
        {
            virtualClock.Advance(delay);
            cancellationToken.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        }

        return Task.Delay(delay, clock, cancellationToken);
    }
}
