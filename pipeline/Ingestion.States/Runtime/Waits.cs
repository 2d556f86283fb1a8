using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Templates;

namespace Ingestion.States.Runtime;

internal static class Waits
{
    /// <summary>How long a Wait state waits: Seconds, Timestamp, their paths, or (JSONata) their expressions.</summary>
    public static TimeSpan Delay(State.Wait wait, JValue effective, ContextSource context, IRandomSource random, DateTimeOffset now)
    {
        if (wait.Seconds is { } seconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (wait.Timestamp is { } timestamp)
        {
            return timestamp - now;
        }

        if (wait.SecondsPath is { } secondsPath)
        {
            return TimeSpan.FromSeconds(PathNumbers.WaitSeconds(secondsPath, effective, context));
        }

        if (wait.TimestampPath is { } timestampPath)
        {
            return PathNumbers.WaitTimestamp(timestampPath, effective, context) - now;
        }

        var scope = new EvaluationScope(effective, context, random);
        return wait.SecondsExpression is { } expression
            ? TimeSpan.FromSeconds(JsonataNumbers.Integer(expression, "Seconds", scope, 0, 99_999_999))
            : JsonataNumbers.Timestamp(wait.TimestampExpression!, "Timestamp", scope) - now;
    }

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
