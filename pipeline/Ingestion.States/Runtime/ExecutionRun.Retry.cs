using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Model;

namespace Ingestion.States.Runtime;

internal sealed partial class ExecutionRun
{
    /// <summary>
    /// Runs <paramref name="attempt"/> under a state's Retry and Catch: the first retrier whose
    /// ErrorEquals matches decides (until its MaxAttempts are spent), then the first matching catcher.
    /// </summary>
    private async ValueTask<StepResult> WithRetryAsync(
        State state,
        IReadOnlyList<Retrier> retriers,
        IReadOnlyList<Catcher> catchers,
        JValue rawInput,
        Func<int, ValueTask<StepResult>> attempt,
        DateTimeOffset entered,
        Trace trace,
        CancellationToken ct)
    {
        var counts = retriers.Count == 0 ? [] : new int[retriers.Count];
        var retryCount = 0;
        while (true)
        {
            ErrorOutput error;
            Exception failure;
            try
            {
                return await attempt(retryCount);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                RecordEvaluationFailure(trace, state.Name, e);
                error = ErrorOutput.From(e);
                failure = e;
            }

            var retrierIndex = FindRetrier(retriers, error.Error);
            if (retrierIndex >= 0 && counts[retrierIndex] < retriers[retrierIndex].MaxAttempts)
            {
                var retrier = retriers[retrierIndex];
                await Waits.DelayAsync(Clock, RetryDelay(retrier, counts[retrierIndex]), ct);
                counts[retrierIndex]++;
                retryCount++;
                continue;
            }

            foreach (var catcher in catchers)
            {
                if (catcher.Matches(error.Error))
                {
                    return Caught(state, catcher, rawInput, error, entered, retryCount, trace);
                }
            }

            // The attempt's own exception goes on, so the state can still say where a States.Runtime failure happened.
            throw failure as StatesException ?? StatesException.PassedOn(error.Error, error.Cause ?? "");
        }
    }

    private static int FindRetrier(IReadOnlyList<Retrier> retriers, string error)
    {
        for (var i = 0; i < retriers.Count; i++)
        {
            if (retriers[i].Matches(error))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>IntervalSeconds × BackoffRate^n, capped by MaxDelaySeconds; FULL jitter draws uniformly below that.</summary>
    private TimeSpan RetryDelay(Retrier retrier, int previousAttempts)
    {
        var seconds = retrier.IntervalSeconds * Math.Pow(retrier.BackoffRate, previousAttempts);
        if (retrier.MaxDelaySeconds is { } max)
        {
            seconds = Math.Min(seconds, max);
        }

        if (retrier.Jitter == JitterStrategy.Full)
        {
            seconds *= Options.Random.NextDouble();
        }

        return TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2));
    }
}
