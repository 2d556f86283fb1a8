using Ingestion.States;
using Ingestion.States.Errors;
using Ingestion.States.History;
using Ingestion.States.Integrations;
using Ingestion.States.Json;

namespace Ingestion.Local.Integrations;

/// <summary>
/// Step Functions starting Step Functions: <c>arn:aws:states:::states:startExecution</c> (request-response: the new
/// execution's ARN and start date) and <c>.sync</c> / <c>.sync:2</c> (run the execution to its end and return
/// DescribeExecution's shape; <c>.sync:2</c> with Input and Output as JSON, <c>.sync</c> as strings), and the AWS SDK
/// integration's <c>aws-sdk:sfn:startSyncExecution</c> (an EXPRESS workflow run to its end: StartSyncExecution's shape,
/// Input and Output as strings).
/// </summary>
/// <remarks>
/// As on AWS, a <c>.sync</c> task whose execution does not succeed fails with <c>States.TaskFailed</c> and the
/// description as its cause, and stopping the waiting task stops the execution it started. StartSyncExecution does not
/// fail when its execution does: its answer says FAILED or TIMED_OUT, with the execution's error and cause.
/// </remarks>
public static class StepFunctionsIntegration
{
    public const string StartExecution = "arn:aws:states:::states:startExecution";
    public const string StartExecutionSync = "arn:aws:states:::states:startExecution.sync";
    public const string StartExecutionSync2 = "arn:aws:states:::states:startExecution.sync:2";
    public const string StartSyncExecution = "arn:aws:states:::aws-sdk:sfn:startSyncExecution";

    /// <param name="machines">The state machines a task may start, by ARN.</param>
    /// <param name="started">Told of every execution started, so its owner can stop and await it.</param>
    public static void Register(StatesEngine engine, Func<string, StateMachine?> machines, Action<Execution> started)
    {
        ArgumentNullException.ThrowIfNull(engine);
        engine.Tasks.Register(StartExecution, (request, _) =>
        {
            var execution = Start(engine, machines, request, started);
            return ValueTask.FromResult<JValue>(new JObject(
            [
                new("ExecutionArn", new JString(execution.Arn)),
                new("StartDate", JNumber.Of(execution.StartDate.ToUnixTimeMilliseconds())),
            ]));
        });
        engine.Tasks.Register(StartExecutionSync, (request, ct) => RunAsync(engine, machines, request, started, parsedData: false, ct));
        engine.Tasks.Register(StartExecutionSync2, (request, ct) => RunAsync(engine, machines, request, started, parsedData: true, ct));
        engine.Tasks.Register(StartSyncExecution, (request, ct) => RunSyncAsync(engine, machines, request, started, ct));
    }

    private static async ValueTask<JValue> RunSyncAsync(StatesEngine engine, Func<string, StateMachine?> machines, TaskRequest request, Action<Execution> started, CancellationToken ct)
    {
        var execution = Start(engine, machines, request, started);
        ExecutionResult result;
        using (ct.Register(() => execution.Stop("States.Aborted", $"The task '{request.StateName}' of {request.ExecutionArn} that started it was stopped.")))
        {
            result = await execution.Completion;
        }

        // StartSyncExecution's answer: the description's fields but RedriveCount (EXPRESS executions are not redriven).
        var description = Describe(execution, result, parsedData: false);
        return new JObject([.. description.Where(field => field.Key != "RedriveCount")]);
    }

    private static async ValueTask<JValue> RunAsync(StatesEngine engine, Func<string, StateMachine?> machines, TaskRequest request, Action<Execution> started, bool parsedData, CancellationToken ct)
    {
        var execution = Start(engine, machines, request, started);
        ExecutionResult result;
        using (ct.Register(() => execution.Stop("States.Aborted", $"The task '{request.StateName}' of {request.ExecutionArn} that started it was stopped.")))
        {
            result = await execution.Completion;
        }

        var description = Describe(execution, result, parsedData);
        return result.Succeeded
            ? description
            : throw new StatesException(StatesErrors.TaskFailed, description.ToJsonString());
    }

    private static Execution Start(StatesEngine engine, Func<string, StateMachine?> machines, TaskRequest request, Action<Execution> started)
    {
        var parameters = request.Parameters as JObject
            ?? throw new StatesException("StepFunctions.InvalidParameterException", "The parameters must be an object.");
        var arn = parameters.Get("StateMachineArn") is JString { Value.Length: > 0 } a ? a.Value
            : throw new StatesException("StepFunctions.InvalidArnException", "StateMachineArn is required.");
        var machine = machines(arn) ?? throw new StatesException("StepFunctions.StateMachineDoesNotExistException", $"State Machine Does Not Exist: '{arn}'");
        var input = parameters.Get("Input") switch
        {
            null or JNull => new JObject([]),
            JString text => ParseInput(text.Value),
            var value => value,
        };
        var name = parameters.Get("Name") is JString { Value.Length: > 0 } n ? n.Value : null;
        Execution execution;
        try
        {
            execution = engine.Start(machine, input, new StartExecutionOptions { Name = name, History = HistoryMode.None });
        }
        catch (InvalidOperationException e)
        {
            throw new StatesException("StepFunctions.ExecutionAlreadyExistsException", e.Message);
        }

        started(execution);
        return execution;
    }

    private static JValue ParseInput(string text)
    {
        try
        {
            return JValue.Parse(text);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new StatesException("StepFunctions.InvalidExecutionInputException", $"Invalid execution input: {e.Message}");
        }
    }

    /// <summary>DescribeExecution's fields, as the <c>.sync</c> integrations return them.</summary>
    private static JObject Describe(Execution execution, ExecutionResult result, bool parsedData)
    {
        JValue Data(JValue value) => parsedData ? value : new JString(value.ToJsonString());
        var fields = new List<KeyValuePair<string, JValue>>
        {
            new("ExecutionArn", new JString(execution.Arn)),
            new("Input", Data(execution.Input)),
            new("InputDetails", new JObject([new("Included", JValue.True)])),
            new("Name", new JString(execution.Name)),
        };
        if (result.Output is { } output)
        {
            fields.Add(new("Output", Data(output)));
            fields.Add(new("OutputDetails", new JObject([new("Included", JValue.True)])));
        }

        fields.Add(new("RedriveCount", JNumber.Of(execution.RedriveCount)));
        fields.Add(new("StartDate", JNumber.Of(execution.StartDate.ToUnixTimeMilliseconds())));
        fields.Add(new("StateMachineArn", new JString(execution.StateMachineArn)));
        fields.Add(new("Status", new JString(ExecutionResult.StatusName(result.Status))));
        fields.Add(new("StopDate", JNumber.Of((execution.StopDate ?? execution.StartDate).ToUnixTimeMilliseconds())));
        if (result.Error is not null)
        {
            fields.Add(new("Error", new JString(result.Error)));
        }

        if (result.Cause is not null)
        {
            fields.Add(new("Cause", new JString(result.Cause)));
        }

        return new JObject([.. fields]);
    }
}
