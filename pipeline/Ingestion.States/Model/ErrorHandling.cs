using Ingestion.States.Errors;
using Ingestion.States.Paths;

namespace Ingestion.States.Model;

/// <summary>One entry of a Retry field.</summary>
internal sealed record Retrier(
    IReadOnlyList<string> ErrorEquals,
    double IntervalSeconds,
    int MaxAttempts,
    double BackoffRate,
    int? MaxDelaySeconds,
    JitterStrategy Jitter)
{
    public bool Matches(string error) => ErrorMatcher.Matches(ErrorEquals, error);
}

internal enum JitterStrategy
{
    None,
    Full,
}

/// <summary>One entry of a Catch field; its Assign replaces the state's, its Output (JSONata) the error output.</summary>
internal sealed record Catcher(IReadOnlyList<string> ErrorEquals, string Next, JsonPath? ResultPath)
{
    public Templates.PayloadTemplate? Assign { get; init; }

    public Templates.PayloadTemplate? Output { get; init; }

    public bool Matches(string error) => ErrorMatcher.Matches(ErrorEquals, error);
}

internal static class ErrorMatcher
{
    public static bool Matches(IReadOnlyList<string> errorEquals, string error)
    {
        foreach (var candidate in errorEquals)
        {
            if (string.Equals(candidate, error, StringComparison.Ordinal))
            {
                return true;
            }

            if (StatesErrors.IsTerminal(error))
            {
                continue;
            }

            if (candidate == StatesErrors.All)
            {
                return true;
            }

            // States.TaskFailed matches every error but States.Timeout, as the specification says.
            if (candidate == StatesErrors.TaskFailed && error != StatesErrors.Timeout)
            {
                return true;
            }
        }

        return false;
    }
}
