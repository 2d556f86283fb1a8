using System.Collections.Immutable;
using Ingestion.States.Errors;
using Ingestion.States.History;
using Ingestion.States.Json;
using Ingestion.States.Mocking;
using Ingestion.States.Model;
using Ingestion.States.Parsing;
using Ingestion.States.Templates;
using Ingestion.States.Variables;

namespace Ingestion.States.Runtime;

/// <summary>
/// One running execution: walks the graph state by state, records history, applies Retry and
/// Catch. Split by state type across partial files.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token source has no timer to release, and Stop may be called after the run ends.")]
internal sealed partial class ExecutionRun
{
    private readonly CancellationTokenSource _cancellation = new();
    private ExecutionStatus _stopStatus = ExecutionStatus.Aborted;
    private string? _stopError;
    private string? _stopCause;
    private JObject? _executionContext;
    private JObject? _stateMachineContext;

    public ExecutionRun(StatesEngine engine, Execution execution, MockedTestCase? mocks, HistoryMode history, int redriveCount)
    {
        Engine = engine;
        Execution = execution;
        Mocks = mocks;
        RedriveCount = redriveCount;
        History = new HistoryRecorder(history, engine.Options.Clock);
    }

    /// <summary>A redrive: the same execution, history and map runs, resumed where it failed.</summary>
    public ExecutionRun(ExecutionRun failed)
    {
        Engine = failed.Engine;
        Execution = failed.Execution;
        Mocks = failed.Mocks;
        RedriveCount = failed.RedriveCount + 1;
        History = failed.History;
        MapRuns = failed.MapRuns;
        _redriveFrom = failed.FailedAt;
    }

    private readonly (string State, JValue Input, ImmutableDictionary<string, JValue> Variables)? _redriveFrom;

    /// <summary>Distributed Map runs by state name; kept across redrives.</summary>
    public Dictionary<string, DistributedMap.MapRunMemory> MapRuns { get; } = new(StringComparer.Ordinal);

    public StatesEngine Engine { get; }

    public Execution Execution { get; }

    public StatesEngineOptions Options => Engine.Options;

    public TimeProvider Clock => Engine.Options.Clock;

    public HistoryRecorder History { get; }

    public MockedTestCase? Mocks { get; }

    public int RedriveCount { get; }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>
    /// Where a redrive resumes: the first top-level state of this attempt that was entered and never exited (a
    /// failure a Catch handled, or the state the execution failed in), with its raw input and the variables it was
    /// entered with.
    /// </summary>
    /// <remarks>
    /// AWS redrives every state with an <c>Entered</c> event and no matching <c>Exited</c> event, a Distributed Map
    /// whose failure was caught included (its map run then re-runs only the children that did not succeed). On one
    /// path of states that is the first such state: everything after it runs again.
    /// </remarks>
    public (string State, JValue Input, ImmutableDictionary<string, JValue> Variables)? FailedAt { get; private set; }

    private (string State, JValue Input, ImmutableDictionary<string, JValue> Variables)? _firstCaught;

    public JObject ExecutionContextObject => _executionContext ??= new JObject(
    [
        new("Id", new JString(Execution.Arn)),
        new("Input", Execution.Input),
        new("StartTime", new JString(Timestamps.Format(Execution.StartDate))),
        new("Name", new JString(Execution.Name)),
        new("RoleArn", new JString($"arn:aws:iam::{Options.AccountId}:role/StatesExecutionRole")),
        new("RedriveCount", JNumber.Of(RedriveCount)),
    ]);

    public JObject StateMachineContextObject => _stateMachineContext ??= new JObject(
    [
        new("Id", new JString(Execution.StateMachineArn)),
        new("Name", new JString(Execution.StateMachine.Name)),
    ]);

    public void Stop(ExecutionStatus status, string? error, string? cause)
    {
        _stopStatus = status;
        _stopError = error;
        _stopCause = cause;
        _cancellation.Cancel();
    }

    /// <summary>Runs the execution to its end; never throws.</summary>
    public async Task<ExecutionResult> RunAsync(string? startAt = null, JValue? startInput = null)
    {
        var trace = new Trace(History.Snapshot() is { Count: > 0 } events ? events[^1].Id : 0, VariableScope.ForExecution(_redriveFrom?.Variables));
        if (_redriveFrom is { } from)
        {
            startAt = from.State;
            startInput = from.Input;
            Record(trace, new HistoryEvent("ExecutionRedriven"));
        }
        else
        {
            Record(trace, new HistoryEvent("ExecutionStarted") { Input = Execution.Input });
        }

        var definition = Execution.StateMachine.Definition;
        using var timeout = definition.TimeoutSeconds is { } seconds
            ? Clock.CreateTimer(_ => Stop(ExecutionStatus.TimedOut, StatesErrors.Timeout, $"The execution exceeded its TimeoutSeconds of {seconds}."), null, TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan)
            : null;
        try
        {
            DataFlow.CheckSize(Execution.Input, Options.PayloadLimitBytes, "(execution input)");
            var output = await RunGraphAsync(definition.Graph, startInput ?? Execution.Input, trace, Token, topLevel: true, startAt);
            Record(trace, new HistoryEvent("ExecutionSucceeded") { Output = output });
            return new ExecutionResult(ExecutionStatus.Succeeded, output, null, null);
        }
        catch (OperationCanceledException) when (Token.IsCancellationRequested)
        {
            var type = _stopStatus == ExecutionStatus.TimedOut ? "ExecutionTimedOut" : "ExecutionAborted";
            Record(trace, new HistoryEvent(type) { Error = _stopError, Cause = _stopCause });
            return new ExecutionResult(_stopStatus, null, _stopError, _stopCause);
        }
        catch (Exception e)
        {
            var error = ErrorOutput.From(e);
            Record(trace, new HistoryEvent("ExecutionFailed") { Error = error.Error, Cause = error.Cause });
            return new ExecutionResult(ExecutionStatus.Failed, null, error.Error, error.Cause);
        }
    }

    /// <summary>Walks a graph from its start (or <paramref name="startAt"/>, for redrive) to a terminal state.</summary>
    public async ValueTask<JValue> RunGraphAsync(StateGraph graph, JValue input, Trace trace, CancellationToken ct, bool topLevel = false, string? startAt = null)
    {
        var state = startAt is null ? graph.Start : graph[startAt];
        var data = input;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            // The variables a top-level state is entered with, for a redrive to resume it with them.
            var entryVariables = topLevel ? trace.Variables.Snapshot : null;
            StepResult step;
            try
            {
                var pending = StepAsync(state, data, trace, ct);
                step = pending.IsCompletedSuccessfully ? pending.Result : await pending;
            }
            catch (Exception) when (topLevel && !ct.IsCancellationRequested)
            {
                FailedAt = _firstCaught ?? (state.Name, data, entryVariables!);
                throw;
            }

            if (topLevel && step.Caught)
            {
                _firstCaught ??= (state.Name, data, entryVariables!);
            }

            if (step.Next is null)
            {
                return step.Output;
            }

            state = graph[step.Next];
            data = step.Output;
        }
    }

    private ValueTask<StepResult> StepAsync(State state, JValue input, Trace trace, CancellationToken ct)
    {
        var entered = Clock.GetUtcNow();
        if (History.Enabled)
        {
            Record(trace, new HistoryEvent(state.TypeName + "StateEntered") { StateName = state.Name, Input = input });
        }
        else
        {
            Skip(trace);
        }

        // AWS names the state and the id of its Entered event in the cause of a States.Runtime failure.
        var enteredEventId = trace.Last;
        try
        {
            var pending = RunStateAsync(state, input, entered, trace, ct);
            return pending.IsCompletedSuccessfully ? pending : LocateFailureAsync(pending, state.Name, enteredEventId, trace);
        }
        catch (StatesException e)
        {
            RecordEvaluationFailure(trace, state.Name, e);
            throw e.LocatedIn(state.Name, enteredEventId);
        }
    }

    private async ValueTask<StepResult> LocateFailureAsync(ValueTask<StepResult> pending, string state, long enteredEventId, Trace trace)
    {
        try
        {
            return await pending;
        }
        catch (StatesException e)
        {
            RecordEvaluationFailure(trace, state, e);
            throw e.LocatedIn(state, enteredEventId);
        }
    }

    private ValueTask<StepResult> RunStateAsync(State state, JValue input, DateTimeOffset entered, Trace trace, CancellationToken ct)
    {
        return state switch
        {
            State.Pass pass => ValueTask.FromResult(Exit(trace, state, RunPass(pass, input, entered, trace))),
            State.Choice choice => ValueTask.FromResult(Exit(trace, state, RunChoice(choice, input, entered, trace))),
            State.Succeed succeed => ValueTask.FromResult(Exit(trace, state, RunSucceed(succeed, input, entered, trace))),
            State.Fail fail => throw RunFail(fail, input, entered, trace),
            State.Wait wait => ExitAsync(trace, state, RunWaitAsync(wait, input, entered, trace, ct)),
            State.Task task => ExitAsync(trace, state, RunTaskAsync(task, input, entered, trace, ct)),
            State.Parallel parallel => ExitAsync(trace, state, RunParallelAsync(parallel, input, entered, trace, ct)),
            State.Map map => ExitAsync(trace, state, RunMapAsync(map, input, entered, trace, ct)),
            _ => throw StatesException.Runtime($"The state type of '{state.Name}' is not supported."),
        };
    }

    private StepResult Exit(Trace trace, State state, StepResult result)
    {
        DataFlow.CheckSize(result.Output, Options.PayloadLimitBytes, state.Name);
        if (!result.Caught)
        {
            // A state whose error was caught did not exit: the next state's Entered event follows its failure.
            if (History.Enabled)
            {
                Record(trace, new HistoryEvent(state.TypeName + "StateExited") { StateName = state.Name, Output = result.Output, AssignedVariables = result.Assigned });
            }
            else
            {
                Skip(trace);
            }
        }

        return result;
    }

    private async ValueTask<StepResult> ExitAsync(Trace trace, State state, ValueTask<StepResult> pending) =>
        Exit(trace, state, await pending);

    private static JValue Output(State state, JValue output, ContextSource context) => DataFlow.Select(state.OutputPath, output, context);

    private StepResult RunSucceed(State.Succeed succeed, JValue input, DateTimeOffset entered, Trace trace)
    {
        var context = new StateContext(this, succeed.Name, entered, null, trace.Variables);
        var output = Output(succeed, DataFlow.Select(succeed.InputPath, input, context), context);
        return succeed.Output is null ? new StepResult(output, null) : Finish(succeed, input, null, output, context, trace, null, null, succeed.Output);
    }

    private StepResult RunPass(State.Pass pass, JValue input, DateTimeOffset entered, Trace trace)
    {
        var context = new StateContext(this, pass.Name, entered, null, trace.Variables);
        var effective = DataFlow.Select(pass.InputPath, input, context);
        // Parameters shape the effective input; Result, when present, is the virtual task's output.
        var result = pass.Result
            ?? pass.Parameters?.Evaluate(new(effective, context, Options.Random))
            ?? effective;

        var merged = DataFlow.Merge(pass.ResultPath, input, result);
        var output = Output(pass, merged, context);
        return pass.Assign is null && pass.Output is null
            ? new StepResult(output, pass.Next)
            : Finish(pass, input, pass.IsJsonata ? null : result, output, context, trace, pass.Next, pass.Assign, pass.Output);
    }

    private StepResult RunChoice(State.Choice choice, JValue input, DateTimeOffset entered, Trace trace)
    {
        var context = new StateContext(this, choice.Name, entered, null, trace.Variables);
        var effective = DataFlow.Select(choice.InputPath, input, context);
        var branch = ChoiceEvaluator.Match(choice, effective, context, Options.Random);
        var next = branch?.Next ?? choice.Default
            ?? throw new StatesException(StatesErrors.NoChoiceMatched, $"No Choice rule of the state '{choice.Name}' matched, and it has no Default.");
        var output = Output(choice, effective, context);
        // A matched rule's Assign and Output replace the state's.
        var assign = branch?.Assign ?? choice.Assign;
        var jsonataOutput = branch?.Output ?? choice.Output;
        return assign is null && jsonataOutput is null
            ? new StepResult(output, next)
            : Finish(choice, input, choice.IsJsonata ? null : effective, output, context, trace, next, assign, jsonataOutput);
    }

    private StatesException RunFail(State.Fail fail, JValue input, DateTimeOffset entered, Trace trace)
    {
        var scope = new Templates.EvaluationScope(input, new StateContext(this, fail.Name, entered, null, trace.Variables), Options.Random);
        var error = fail.ErrorPath is null ? fail.Error : AsString(fail.ErrorPath, fail.ErrorPath.Evaluate(scope), fail.Name, "ErrorPath");
        var cause = fail.CausePath is null ? fail.Cause : AsString(fail.CausePath, fail.CausePath.Evaluate(scope), fail.Name, "CausePath");
        // A Fail state without Error fails with no error name, as on AWS; "" stands for it until the result.
        return StatesException.PassedOn(error ?? "", cause);
    }

    private static string AsString(Templates.PayloadTemplate template, JValue value, string state, string field) => value switch
    {
        JString s => s.Value,
        _ when template is Templates.PayloadTemplate.JsonataField jsonata => throw jsonata.Query.WrongType(jsonata.Field, "string", value),
        _ => throw StatesException.Runtime($"The {field} of the state '{state}' must resolve to a string, got {value.ToJsonString()}."),
    };

    private async ValueTask<StepResult> RunWaitAsync(State.Wait wait, JValue input, DateTimeOffset entered, Trace trace, CancellationToken ct)
    {
        var context = new StateContext(this, wait.Name, entered, null, trace.Variables);
        var effective = DataFlow.Select(wait.InputPath, input, context);
        var now = Clock.GetUtcNow();
        var delay = Waits.Delay(wait, effective, context, Options.Random, now);
        await Waits.DelayAsync(Clock, delay, ct);
        var output = Output(wait, effective, context);
        return wait.Assign is null && wait.Output is null
            ? new StepResult(output, wait.Next)
            : Finish(wait, input, wait.IsJsonata ? null : effective, output, context, trace, wait.Next, wait.Assign, wait.Output);
    }

    public void Record(Trace trace, HistoryEvent e)
    {
        trace.Last = History.Enabled ? History.Add(trace.Last, e) : History.Skip();
    }

    /// <summary>Where the history is off, counts the events that would have been recorded (see <see cref="HistoryRecorder.Skip"/>).</summary>
    private void Skip(Trace trace, int count = 1)
    {
        trace.Last = History.Skip(count);
    }
}
