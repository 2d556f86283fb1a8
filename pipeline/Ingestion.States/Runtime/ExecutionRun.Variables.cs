using Ingestion.States.Errors;
using Ingestion.States.History;
using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Templates;

namespace Ingestion.States.Runtime;

internal sealed partial class ExecutionRun
{
    /// <summary>
    /// The end of a state that succeeded: its Output (JSONata) and its Assign, both computed from what the state was
    /// entered with (the variables as they were, <c>$states.input</c>, the result), then the variables assigned, so
    /// the next state is the first to see them.
    /// </summary>
    /// <param name="result">The state's result: <c>$states.result</c> in JSONata, and what <c>$</c> is in a JSONPath Assign.</param>
    /// <param name="output">The output as JSONPath computed it (for JSONata, with its paths at <c>$</c>: the result or the input).</param>
    /// <param name="assign">The Assign that applies: the state's, or a matched Choice rule's.</param>
    /// <param name="jsonataOutput">The Output that applies: the state's, or a matched Choice rule's.</param>
    internal StepResult Finish(
        State state, JValue input, JValue? result, JValue output, StateContext context, Trace trace, string? next,
        PayloadTemplate? assign, PayloadTemplate? jsonataOutput)
    {
        if (!state.IsJsonata)
        {
            // JSONPath: Assign's $ is the state's result (after ResultSelector), or its effective input if it has none.
            return Assign(state.Name, assign, new EvaluationScope(result ?? output, context, Options.Random), trace, output, next, caught: false);
        }

        var scope = new EvaluationScope(input, context, Options.Random) { Result = result };
        var final = jsonataOutput?.Evaluate(scope) ?? output;
        return Assign(state.Name, assign, scope, trace, final, next, caught: false);
    }

    /// <summary>A Catch that handles a state's failure: its Assign replaces the state's, its Output (JSONata) gives the output.</summary>
    private StepResult Caught(State state, Catcher catcher, JValue rawInput, ErrorOutput error, DateTimeOffset entered, int retryCount, Trace trace)
    {
        var errorOutput = error.ToJson();
        var context = new StateContext(this, state.Name, entered, retryCount, trace.Variables);
        if (!state.IsJsonata)
        {
            var merged = DataFlow.Merge(catcher.ResultPath, rawInput, errorOutput);
            return Assign(state.Name, catcher.Assign, new EvaluationScope(errorOutput, context, Options.Random), trace, merged, catcher.Next, caught: true);
        }

        var scope = new EvaluationScope(rawInput, context, Options.Random) { ErrorOutput = errorOutput };
        var output = catcher.Output?.Evaluate(scope) ?? errorOutput;
        return Assign(state.Name, catcher.Assign, scope, trace, output, catcher.Next, caught: true);
    }

    private static StepResult Assign(string stateName, PayloadTemplate? assign, EvaluationScope scope, Trace trace, JValue output, string? next, bool caught)
    {
        if (assign is null)
        {
            return new StepResult(output, next, caught);
        }

        var values = assign.Evaluate(scope) as JObject ?? JObject.Empty;
        trace.Variables.Assign(values, stateName);
        return new StepResult(output, next, caught, values);
    }

    /// <summary>
    /// The EvaluationFailed event AWS records when a JSONata expression of a state fails, before the failure goes on
    /// (to a Retry, a Catch or the execution); recorded once, by the state where it happened.
    /// </summary>
    private void RecordEvaluationFailure(Trace trace, string stateName, Exception failure)
    {
        if (failure is StatesException { Error: StatesErrors.QueryEvaluationError, Location: { } location, EvaluationRecorded: false } e)
        {
            e.EvaluationRecorded = true;
            Record(trace, new HistoryEvent("EvaluationFailed") { StateName = stateName, Error = e.Error, Cause = e.Cause, Location = location });
        }
    }
}
