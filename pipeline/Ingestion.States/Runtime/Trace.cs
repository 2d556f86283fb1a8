namespace Ingestion.States.Runtime;

/// <summary>
/// The last history event of one sequential chain (an execution, a branch, an iteration), so each
/// event's previousEventId points to what happened before it on the same chain.
/// </summary>
internal sealed class Trace(long last, Variables.VariableScope variables)
{
    public long Last { get; set; } = last;

    /// <summary>The workflow variables of the chain: the execution's, or the iteration's or branch's own scope.</summary>
    public Variables.VariableScope Variables { get; } = variables;
}

/// <summary>The outcome of one state: its output and the state that comes next (null: the graph ends).</summary>
/// <param name="Caught">The state failed and a Catch sent the execution on: it never exited, which redrive needs to know.</param>
/// <param name="Assigned">The variables the state assigned, for its StateExited event.</param>
internal readonly record struct StepResult(Json.JValue Output, string? Next, bool Caught = false, Json.JObject? Assigned = null);
