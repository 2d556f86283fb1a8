using Ingestion.States.Json;

namespace Ingestion.States;

public enum ExecutionStatus
{
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

/// <summary>How an execution ended: AWS's DescribeExecution in brief.</summary>
public sealed record ExecutionResult(ExecutionStatus Status, JValue? Output, string? Error, string? Cause)
{
    public bool Succeeded => Status == ExecutionStatus.Succeeded;

    /// <summary>AWS's spelling: SUCCEEDED, FAILED, TIMED_OUT, ABORTED, RUNNING.</summary>
    public static string StatusName(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Running => "RUNNING",
        ExecutionStatus.Succeeded => "SUCCEEDED",
        ExecutionStatus.Failed => "FAILED",
        ExecutionStatus.TimedOut => "TIMED_OUT",
        _ => "ABORTED",
    };

    /// <summary><c>{"status", "output", "error", "cause"}</c>, as the CLI prints it.</summary>
    public JObject ToJson() => new(
    [
        new("status", new JString(StatusName(Status))),
        new("output", Output ?? JValue.Null),
        new("error", Error is null ? JValue.Null : new JString(Error)),
        new("cause", Cause is null ? JValue.Null : new JString(Cause)),
    ]);
}

/// <summary>Per-execution choices: its name, a mock test case, whether to record history.</summary>
public sealed record StartExecutionOptions
{
    /// <summary>The execution name; a new UUID when absent, as on AWS.</summary>
    public string? Name { get; init; }

    /// <summary>The test case of the engine's mock configuration to apply (Step Functions Local's header).</summary>
    public string? TestCase { get; init; }

    public History.HistoryMode History { get; init; } = States.History.HistoryMode.Full;
}
