namespace Ingestion.States.Runtime;

/// <summary>
/// The last history event of one sequential chain (an execution, a branch, an iteration), so each
/// event's previousEventId points to what happened before it on the same chain.
/// </summary>
internal sealed class Trace(long last)
{
    public long Last { get; set; } = last;
}

/// <summary>The outcome of one state: its output and the state that comes next (null: the graph ends).</summary>
/// <param name="Caught">The state failed and a Catch sent the execution on: it never exited, which redrive needs to know.</param>
internal readonly record struct StepResult(Json.JValue Output, string? Next, bool Caught = false);
