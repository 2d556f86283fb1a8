namespace Ingestion.States.Model;

/// <summary>A parsed, validated state machine: the immutable model the interpreter executes.</summary>
internal sealed record StateMachineDefinition(StateGraph Graph, int? TimeoutSeconds, string? Comment, string? Version)
{
    public string StartAt => Graph.StartAt;
}

/// <summary>A set of states with a start: the top level, a Parallel branch or a Map's ItemProcessor.</summary>
internal sealed record StateGraph(string StartAt, IReadOnlyDictionary<string, State> States, string? Comment)
{
    public State Start => States[StartAt];

    public State this[string name] => States[name];
}
