using Ingestion.States.Json;
using Ingestion.States.Parsing;
using Ingestion.States.Templates;

namespace Ingestion.States.Runtime;

/// <summary>
/// The numbers and timestamps a JSONata state computes for its settings (TimeoutSeconds, Wait's Seconds, MaxConcurrency…),
/// checked with States.QueryEvaluationError as AWS raises it for a value of the wrong type.
/// </summary>
internal static class JsonataNumbers
{
    public static long Integer(JsonataQuery query, string field, EvaluationScope scope, long min, long max = long.MaxValue)
    {
        var value = query.Evaluate(field, scope);
        return value switch
        {
            JNumber { IsInteger: true } n when n.LongValue >= min && n.LongValue <= max => n.LongValue,
            JNumber => throw query.Failure(field, $"returned {value.ToJsonString()}, but the field takes an integer from {min}{(max == long.MaxValue ? "" : $" to {max}")}."),
            _ => throw query.WrongType(field, "number", value),
        };
    }

    public static double Number(JsonataQuery query, string field, EvaluationScope scope, double min, double max)
    {
        var value = query.Evaluate(field, scope);
        return value switch
        {
            JNumber n when n.Value >= min && n.Value <= max => n.Value,
            JNumber => throw query.Failure(field, $"returned {value.ToJsonString()}, but the field takes a number from {min} to {max}."),
            _ => throw query.WrongType(field, "number", value),
        };
    }

    public static DateTimeOffset Timestamp(JsonataQuery query, string field, EvaluationScope scope)
    {
        var value = query.Evaluate(field, scope);
        if (value is not JString s)
        {
            throw query.WrongType(field, "string", value);
        }

        return Timestamps.TryParse(s.Value, out var timestamp)
            ? timestamp
            : throw query.Failure(field, $"returned '{s.Value}', which is not an RFC 3339 timestamp such as 2016-03-14T01:59:00Z.");
    }
}
