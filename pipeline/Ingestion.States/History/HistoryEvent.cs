using System.Text.Json;
using Ingestion.States.Json;
using Ingestion.States.Parsing;

namespace Ingestion.States.History;

/// <summary>
/// One event of an execution's history, in AWS's vocabulary (GetExecutionHistory's shape).
/// </summary>
/// <remarks>
/// Events hold references to the immutable payloads instead of serialised copies, so recording
/// costs one small object; <see cref="ToJson"/> renders AWS's shape only when asked.
/// </remarks>
public sealed class HistoryEvent
{
    internal HistoryEvent(string type) => Type = type;

    public long Id { get; internal set; }

    public long PreviousEventId { get; internal set; }

    public DateTimeOffset Timestamp { get; internal set; }

    /// <summary>The event type, e.g. <c>TaskStateEntered</c>.</summary>
    public string Type { get; }

    /// <summary>The state (or Map state, for iteration events) the event belongs to.</summary>
    public string? StateName { get; init; }

    public JValue? Input { get; init; }

    public JValue? Output { get; init; }

    public string? Error { get; init; }

    public string? Cause { get; init; }

    public string? ResourceType { get; init; }

    public string? Resource { get; init; }

    /// <summary>Iteration index (MapIteration*) or item count (MapStateStarted).</summary>
    public int? Index { get; init; }

    public string? MapRunArn { get; init; }

    /// <summary>The field whose JSONata expression failed (EvaluationFailed).</summary>
    public string? Location { get; init; }

    /// <summary>The variables a state assigned (StateExited), each as its value.</summary>
    public JObject? AssignedVariables { get; init; }

    public override string ToString() => $"{Id} {Type}{(StateName is null ? "" : " " + StateName)}";

    /// <summary>The event as AWS's GetExecutionHistory returns it.</summary>
    public JObject ToJson()
    {
        var properties = new List<KeyValuePair<string, JValue>>
        {
            new("id", JNumber.Of(Id)),
            new("previousEventId", JNumber.Of(PreviousEventId)),
            new("timestamp", new JString(Timestamps.Format(Timestamp))),
            new("type", new JString(Type)),
        };
        var details = Details();
        if (details is not null)
        {
            properties.Add(new(DetailsKey(), details));
        }

        return new JObject([.. properties]);
    }

    private string DetailsKey()
    {
        if (Type.EndsWith("StateEntered", StringComparison.Ordinal))
        {
            return "stateEnteredEventDetails";
        }

        if (Type.EndsWith("StateExited", StringComparison.Ordinal))
        {
            return "stateExitedEventDetails";
        }

        return char.ToLowerInvariant(Type[0]) + Type[1..] + "EventDetails";
    }

    private JObject? Details()
    {
        var details = new List<KeyValuePair<string, JValue>>();
        if (Type.StartsWith("MapIteration", StringComparison.Ordinal))
        {
            details.Add(new("name", new JString(StateName ?? "")));
            details.Add(new("index", JNumber.Of(Index ?? 0)));
            return new JObject([.. details]);
        }

        if (Type == "MapStateStarted")
        {
            return new JObject([new("length", JNumber.Of(Index ?? 0))]);
        }

        if (Type == "EvaluationFailed")
        {
            details.Add(new("error", new JString(Error ?? "")));
            details.Add(new("cause", new JString(Cause ?? "")));
            details.Add(new("location", new JString(Location ?? "")));
            details.Add(new("state", new JString(StateName ?? "")));
            return new JObject([.. details]);
        }

        if (Type.EndsWith("StateEntered", StringComparison.Ordinal) || Type.EndsWith("StateExited", StringComparison.Ordinal))
        {
            details.Add(new("name", new JString(StateName ?? "")));
        }

        if (ResourceType is not null)
        {
            details.Add(new("resourceType", new JString(ResourceType)));
        }

        if (Resource is not null)
        {
            details.Add(new("resource", new JString(Resource)));
        }

        if (MapRunArn is not null)
        {
            details.Add(new("mapRunArn", new JString(MapRunArn)));
        }

        if (Input is not null)
        {
            // AWS carries payloads in histories as JSON text, parameters under their own name.
            details.Add(new(Type == "TaskScheduled" ? "parameters" : "input", new JString(Input.ToJsonString())));
            details.Add(new("inputDetails", new JObject([new("truncated", JValue.False)])));
        }

        if (Output is not null)
        {
            details.Add(new("output", new JString(Output.ToJsonString())));
            details.Add(new("outputDetails", new JObject([new("truncated", JValue.False)])));
        }

        if (AssignedVariables is not null)
        {
            // As AWS shows them: each variable's value as JSON text.
            details.Add(new("assignedVariables", new JObject([.. AssignedVariables.Select(v => new KeyValuePair<string, JValue>(v.Key, new JString(v.Value.ToJsonString())))])));
            details.Add(new("assignedVariablesDetails", new JObject([new("truncated", JValue.False)])));
        }

        if (Error is not null)
        {
            details.Add(new("error", new JString(Error)));
        }

        if (Cause is not null)
        {
            details.Add(new("cause", new JString(Cause)));
        }

        return details.Count == 0 ? null : new JObject([.. details]);
    }

    internal void WriteTo(Utf8JsonWriter writer) => ToJson().WriteTo(writer);
}
