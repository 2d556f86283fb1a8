using Ingestion.Local.Integrations;
using Ingestion.States;
using Ingestion.States.Json;

namespace Ingestion.Local.Tests.Integrations;

public sealed class StepFunctionsIntegrationTests
{
    private readonly StatesEngine _engine = new();
    private readonly Dictionary<string, StateMachine> _machines = [];
    private readonly List<Execution> _started = [];

    public StepFunctionsIntegrationTests()
    {
        Add(StateMachine.Load("Child", """{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"And":[{"Variable":"$.fail","IsPresent":true},{"Variable":"$.fail","BooleanEquals":true}],"Next":"No"}],"Default":"Yes"},"Yes":{"Type":"Pass","Parameters":{"doubled.$":"States.MathAdd($.n, $.n)"},"End":true},"No":{"Type":"Fail","Error":"ChildError","Cause":"asked to"}}}"""));
        StepFunctionsIntegration.Register(_engine, arn => _machines.GetValueOrDefault(arn), _started.Add);
    }

    private void Add(StateMachine machine) => _machines[_engine.StateMachineArn(machine)] = machine;

    private Task<ExecutionResult> RunAsync(string resource, string input, string extra = "") => _engine.RunAsync(
        StateMachine.Load("Parent", $$$$"""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"{{{{resource}}}}","Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:Child","Input":{{{{input}}}}{{{{extra}}}}},"End":true}}}"""),
        new JObject([]));

    [Fact]
    public async Task Sync2_runs_the_child_and_returns_its_description_with_parsed_output()
    {
        var result = await RunAsync(StepFunctionsIntegration.StartExecutionSync2, """{"n":21}""", ""","Name":"child-1" """);

        Assert.True(result.Succeeded, result.Cause);
        var output = (JObject)result.Output!;
        Assert.Equal(JValue.Parse("""{"doubled":42}"""), output.Get("Output"));
        Assert.Equal(JValue.Parse("""{"n":21}"""), output.Get("Input"));
        Assert.Equal("SUCCEEDED", ((JString)output.Get("Status")!).Value);
        Assert.Equal("arn:aws:states:us-east-1:123456789012:execution:Child:child-1", ((JString)output.Get("ExecutionArn")!).Value);
        Assert.IsType<JNumber>(output.Get("StartDate"));
        Assert.Equal(_started.Single().Arn, ((JString)output.Get("ExecutionArn")!).Value);
    }

    [Fact]
    public async Task Sync_returns_input_and_output_as_strings()
    {
        var result = await RunAsync(StepFunctionsIntegration.StartExecutionSync, """{"n":1}""");

        Assert.Equal(new JString("""{"doubled":2}"""), ((JObject)result.Output!).Get("Output"));
    }

    [Fact]
    public async Task A_failed_child_fails_the_task_with_States_TaskFailed_and_its_description()
    {
        var result = await RunAsync(StepFunctionsIntegration.StartExecutionSync2, """{"fail":true}""");

        Assert.Equal("States.TaskFailed", result.Error);
        var cause = (JObject)JValue.Parse(result.Cause!);
        Assert.Equal(("FAILED", "ChildError", "asked to"), (((JString)cause.Get("Status")!).Value, ((JString)cause.Get("Error")!).Value, ((JString)cause.Get("Cause")!).Value));
        Assert.Null(cause.Get("Output"));
    }

    [Fact]
    public async Task StartExecution_returns_at_once_with_the_execution_arn()
    {
        var result = await RunAsync(StepFunctionsIntegration.StartExecution, """{"n":2}""");

        var output = (JObject)result.Output!;
        Assert.Equal(["ExecutionArn", "StartDate"], output.Select(p => p.Key));
        var child = Assert.Single(_started);
        Assert.Equal(child.Arn, ((JString)output.Get("ExecutionArn")!).Value);
        Assert.Equal(JValue.Parse("""{"doubled":4}"""), (await child.Completion).Output);
    }

    [Fact]
    public async Task An_unknown_state_machine_fails_like_AWS()
    {
        var result = await _engine.RunAsync(
            StateMachine.Load("Parent", """{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:Nope"},"End":true}}}"""),
            new JObject([]));

        Assert.Equal("StepFunctions.StateMachineDoesNotExistException", result.Error);
    }
}
