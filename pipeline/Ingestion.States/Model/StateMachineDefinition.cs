namespace Ingestion.States.Model;

/// <summary>A parsed, validated state machine: the immutable model the interpreter executes.</summary>
internal sealed record StateMachineDefinition(StateGraph Graph, int? TimeoutSeconds, string? Comment, string? Version)
{
    public string StartAt => Graph.StartAt;
}

/// <summary>A set of states with a start: the top level, a Parallel branch or a Map's ItemProcessor.</summary>
internal sealed record StateGraph(string StartAt, IReadOnlyDictionary<string, State> States, string? Comment)
{
    private bool? _assignsVariables;

    public State Start => States[StartAt];

    /// <summary>
    /// Whether a state of this graph (not of a graph nested in it) can assign a variable. A Map iteration or Parallel
    /// branch whose graph cannot shares its parent's scope instead of making one: JSONPath machines pay nothing per item.
    /// </summary>
    public bool AssignsVariables => _assignsVariables ??= States.Values.Any(s => Validation.VariableScopes.Assigned(s).Any());

    public State this[string name] => States[name];
}
