using Ingestion.States.History;
using Ingestion.States.Json;
using Ingestion.States.Runtime;

namespace Ingestion.States;

/// <summary>A started execution: await it, stop it, read its history.</summary>
public sealed class Execution
{
    private ExecutionRun? _run;
    private Task<ExecutionResult>? _completion;

    internal Execution(StateMachine stateMachine, string name, string arn, string stateMachineArn, JValue input, DateTimeOffset startDate)
    {
        StateMachine = stateMachine;
        Name = name;
        Arn = arn;
        StateMachineArn = stateMachineArn;
        Input = input;
        StartDate = startDate;
    }

    public StateMachine StateMachine { get; }

    public string Name { get; }

    public string Arn { get; }

    public string StateMachineArn { get; }

    public JValue Input { get; }

    public DateTimeOffset StartDate { get; }

    public DateTimeOffset? StopDate { get; private set; }

    /// <summary>How many times this execution has been redriven.</summary>
    public int RedriveCount { get; internal set; }

    public ExecutionStatus Status => _completion is { IsCompletedSuccessfully: true } done ? done.Result.Status : ExecutionStatus.Running;

    /// <summary>Completes when the execution ends (it never faults: failures are results).</summary>
    public Task<ExecutionResult> Completion => _completion ?? throw new InvalidOperationException("The execution has not started.");

    public Task<ExecutionResult> WaitAsync(CancellationToken cancellationToken = default) => Completion.WaitAsync(cancellationToken);

    /// <summary>Stops a running execution: it ends ABORTED with this error and cause (StopExecution).</summary>
    public void Stop(string? error = null, string? cause = null) => _run?.Stop(ExecutionStatus.Aborted, error, cause);

    /// <summary>The events so far, oldest first (empty when the execution records no history).</summary>
    public IReadOnlyList<HistoryEvent> GetHistory() => _run?.History.Snapshot() ?? [];

    internal ExecutionRun? Run => _run;

    private readonly List<MapRun> _mapRuns = [];

    /// <summary>The map runs of this execution's Distributed Map states, for progress and redrive.</summary>
    public IReadOnlyList<MapRun> MapRuns
    {
        get
        {
            lock (_mapRuns)
            {
                return [.. _mapRuns];
            }
        }
    }

    internal void AddMapRun(MapRun run)
    {
        lock (_mapRuns)
        {
            _mapRuns.Add(run);
        }
    }

    /// <summary>
    /// RedriveExecution: restarts a FAILED, TIMED_OUT or ABORTED execution from its first state that
    /// never exited (the state that failed, or an earlier one whose failure a Catch handled), with
    /// that state's input; a Distributed Map there re-runs only the items that did not succeed.
    /// Await <see cref="Completion"/> again for the new result.
    /// </summary>
    public Task<ExecutionResult> Redrive()
    {
        if (_run is null || _completion is not { IsCompleted: true } done || done.Result.Status == ExecutionStatus.Succeeded || _run.FailedAt is null)
        {
            throw new InvalidOperationException($"The execution {Arn} cannot be redriven: only an ended execution that did not succeed can be.");
        }

        var run = new ExecutionRun(_run);
        RedriveCount = run.RedriveCount;
        StopDate = null;
        Start(run, () => run.RunAsync());
        return Completion;
    }

    internal void Start(ExecutionRun run, Func<Task<ExecutionResult>> body)
    {
        _run = run;
        _completion = CompleteAsync(body);
    }

    private async Task<ExecutionResult> CompleteAsync(Func<Task<ExecutionResult>> body)
    {
        var result = await body();
        StopDate = _run!.Clock.GetUtcNow();
        return result.Error == "" ? result with { Error = null } : result;
    }
}
