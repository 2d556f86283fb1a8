using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Parsing;
using Ingestion.States.Paths;

namespace Ingestion.States.Runtime;

/// <summary>
/// The numbers and timestamps a state reads through a …Path field, checked with AWS's own error wording (the state is
/// named in front of it when the failure leaves the state).
/// </summary>
/// <remarks>
/// The wording is that of real executions as LocalStack's AWS-validated snapshot tests record them
/// (tests/aws/services/stepfunctions/v2/base/test_wait.snapshot.json, scenarios/test_base_scenarios.snapshot.json).
/// A value is shown as JSON, a string without its quotes.
/// </remarks>
internal static class PathNumbers
{
    /// <summary>Wait's SecondsPath: a non-negative integer (a long on AWS).</summary>
    public static long WaitSeconds(JsonPath path, JValue input, Templates.ContextSource? context = null)
    {
        if (!path.TrySelectSingle(Templates.ContextSource.RootFor(path, input, context), out var value))
        {
            throw StatesException.Runtime($"The SecondsPath parameter does not reference an input value: {path.Text}");
        }

        if (value is not JNumber { IsInteger: true } n)
        {
            throw StatesException.Runtime($"The SecondsPath parameter cannot be parsed as a long value: {path.Text} == {Shown(value)}");
        }

        return n.LongValue >= 0
            ? n.LongValue
            : throw StatesException.Runtime($"The SecondsPath parameter references a negative value: {path.Text} == {Shown(value)}");
    }

    /// <summary>Wait's TimestampPath: an RFC 3339 timestamp with a Z or a numeric offset.</summary>
    public static DateTimeOffset WaitTimestamp(JsonPath path, JValue input, Templates.ContextSource? context = null)
    {
        if (!path.TrySelectSingle(Templates.ContextSource.RootFor(path, input, context), out var value))
        {
            throw StatesException.Runtime($"The TimestampPath parameter does not reference an input value: {path.Text}");
        }

        return value is JString text && Timestamps.TryParse(text.Value, out var target)
            ? target
            : throw StatesException.Runtime(
                $"The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path.Text} == {Shown(value)}");
    }

    /// <summary>
    /// MaxConcurrencyPath: a non-negative integer. A fraction is cut to its integer part and a string holding an integer
    /// is read as that integer, as LocalStack's current (AWS-validated) interpreter reads them.
    /// </summary>
    public static int MaxConcurrency(JsonPath path, JValue input, Templates.ContextSource? context = null)
    {
        var value = DataFlow.Select(path, input, context);
        if (!TryReadInteger(value, out var limit))
        {
            throw StatesException.Runtime($"The MaxConcurrencyPath field refers to value \"{Shown(value)}\" which is not a valid integer: {path.Text}");
        }

        return limit >= 0
            ? limit
            : throw StatesException.Runtime($"Expected non-negative integer for MaxConcurrency, got '{limit}' instead.");
    }

    /// <summary>An integer, a number cut to its integer part, or a string holding an integer.</summary>
    private static bool TryReadInteger(JValue value, out int integer)
    {
        switch (value)
        {
            case JNumber { IsInteger: true } n:
                return n.TryGetInt32(out integer);
            case JNumber n when Math.Abs(n.Value) < int.MaxValue:
                integer = (int)Math.Truncate(n.Value);
                return true;
            case JString s:
                return int.TryParse(s.Value, System.Globalization.NumberStyles.AllowLeadingSign, null, out integer);
            default:
                integer = 0;
                return false;
        }
    }

    /// <summary>ToleratedFailureCountPath: a non-negative integer.</summary>
    public static long ToleratedFailureCount(JsonPath path, JValue input, Templates.ContextSource? context = null)
    {
        var value = DataFlow.Select(path, input, context);
        if (value is not JNumber { IsInteger: true } n)
        {
            throw StatesException.Runtime($"The ToleratedFailureCountPath field refers to value \"{Shown(value)}\" which is not a valid integer: {path.Text}");
        }

        return n.LongValue >= 0 ? n.LongValue : throw StatesException.Runtime("ToleratedFailureCount cannot be negative.");
    }

    /// <summary>ToleratedFailurePercentagePath: any number, a fraction too, from 0 to 100.</summary>
    public static double ToleratedFailurePercentage(JsonPath path, JValue input, Templates.ContextSource? context = null)
    {
        var value = DataFlow.Select(path, input, context);
        if (value is not JNumber n)
        {
            throw StatesException.Runtime($"The ToleratedFailurePercentagePath field refers to value \"{Shown(value)}\" which is not a valid float: {path.Text}");
        }

        return n.Value is >= 0 and <= 100 ? n.Value : throw StatesException.Runtime("ToleratedFailurePercentage must be between 0 and 100.");
    }

    /// <summary>
    /// An ItemReader's MaxItemsPath: a non-negative integer; 0 means no limit, and AWS reads at most 100,000,000 items.
    /// Its failures are States.ItemReaderFailed.
    /// </summary>
    public static int? MaxItems(JsonPath path, JValue input, Templates.ContextSource? context = null)
    {
        var value = DataFlow.Select(path, input, context);
        if (value is not JNumber { IsInteger: true } n)
        {
            throw new StatesException(StatesErrors.ItemReaderFailed, $"The MaxItemsPath field refers to value '{Shown(value)}' which is not a valid integer: {path.Text}");
        }

        return n.LongValue switch
        {
            < 0 => throw new StatesException(StatesErrors.ItemReaderFailed, "field MaxItems must be positive"),
            0 => null,
            var max => (int)Math.Min(max, MaxItemsLimit),
        };
    }

    /// <summary>The most items a Distributed Map reads from an ItemReader.</summary>
    public const int MaxItemsLimit = 100_000_000;

    private static string Shown(JValue value) => value is JString s ? s.Value : value.ToJsonString();
}
