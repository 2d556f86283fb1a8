using System.Text;
using Ingestion.States.Json;
using Ingestion.States.Tests.Support;

namespace Ingestion.States.Tests.Variables;

/// <summary>Workflow variables and JSONata states where a case file cannot say it: limits, history details, redrive.</summary>
public sealed class VariableAndJsonataRunTests
{
    private static StatesEngine NewEngine(MemoryObjectStorage? storage = null) =>
        new(new StatesEngineOptions { Clock = new VirtualTimeProvider(), Storage = storage, PayloadLimitBytes = int.MaxValue });

    private static JObject Big(int bytes) => new([new("text", new JString(new string('a', bytes)))]);

    [Fact]
    public async Task A_variable_over_256_KiB_fails_the_state_with_States_Runtime()
    {
        var machine = StateMachine.Load("Limits", """{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"big.$":"$"},"End":true}}}""");
        var result = await NewEngine().RunAsync(machine, Big(256 * 1024));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("States.Runtime", result.Error);
        Assert.Contains("'big'", result.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_Assign_over_256_KiB_together_fails_though_each_variable_fits()
    {
        var machine = StateMachine.Load("Limits", """{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"a.$":"$","b.$":"$"},"End":true}}}""");
        var result = await NewEngine().RunAsync(machine, Big(200 * 1024));

        Assert.Equal("States.Runtime", result.Error);
        Assert.Contains("for one Assign", result.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Variables_over_10_MiB_in_one_execution_fail_the_state_that_would_pass_it()
    {
        // 50 states each keep 240 KB under a name of their own: the 44th would pass 10 MiB.
        var states = string.Join(",", Enumerable.Range(0, 50).Select(i =>
            $$"""
            "S{{i}}":{"Type":"Pass","Assign":{"v{{i}}.$":"$"},{{(i < 49 ? $"\"Next\":\"S{i + 1}\"" : "\"End\":true")}}}
            """));
        var machine = StateMachine.Load("Limits", "{\"StartAt\":\"S0\",\"States\":{" + states + "}}");
        var result = await NewEngine().RunAsync(machine, Big(240 * 1000));

        Assert.Equal("States.Runtime", result.Error);
        Assert.Contains("'S43'", result.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reassigning_a_variable_counts_its_new_size_not_both()
    {
        // The same name reassigned 50 times stays at one value's size, far below 10 MiB.
        var states = string.Join(",", Enumerable.Range(0, 50).Select(i =>
            $$"""
            "S{{i}}":{"Type":"Pass","Assign":{"v.$":"$"},{{(i < 49 ? $"\"Next\":\"S{i + 1}\"" : "\"End\":true")}}}
            """));
        var machine = StateMachine.Load("Limits", "{\"StartAt\":\"S0\",\"States\":{" + states + "}}");

        Assert.Equal(ExecutionStatus.Succeeded, (await NewEngine().RunAsync(machine, Big(240 * 1000))).Status);
    }

    [Fact]
    public async Task StateExited_carries_the_assigned_variables_as_JSON_text()
    {
        var machine = StateMachine.Load("History", """
            {"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"n":"{% 1 + 1 %}","s":"x"},"End":true}}}
            """);
        var execution = NewEngine().Start(machine, JObject.Empty);
        await execution.WaitAsync();

        var exited = execution.GetHistory().Single(e => e.Type == "PassStateExited").ToJson();
        var details = (JObject)exited.Get("stateExitedEventDetails")!;
        Assert.Equal(JValue.Parse("""{"n":"2","s":"\"x\""}"""), details.Get("assignedVariables"));
    }

    [Fact]
    public async Task EvaluationFailed_names_the_state_the_field_and_the_cause()
    {
        var machine = StateMachine.Load("History", """
            {"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":{"v":"{% $states.input.nope %}"},"End":true}}}
            """);
        var execution = NewEngine().Start(machine, JObject.Empty);
        await execution.WaitAsync();

        var details = (JObject)execution.GetHistory().Single(e => e.Type == "EvaluationFailed").ToJson().Get("evaluationFailedEventDetails")!;
        Assert.Equal("States.QueryEvaluationError", ((JString)details.Get("error")!).Value);
        Assert.Equal("Output/v", ((JString)details.Get("location")!).Value);
        Assert.Equal("A", ((JString)details.Get("state")!).Value);
        Assert.Equal("The JSONata expression '$states.input.nope' specified for the field 'Output/v' returned nothing (undefined).", ((JString)details.Get("cause")!).Value);
    }

    [Fact]
    public async Task Redrive_of_a_JSONata_machine_resumes_with_the_variables_the_failed_state_was_entered_with()
    {
        var calls = 0;
        var engine = NewEngine();
        engine.Functions.Register("Work", payload => ++calls == 1 ? throw new InvalidOperationException("not yet") : payload);
        var machine = StateMachine.Load("Redrive", """
            {"QueryLanguage":"JSONata","StartAt":"Count","States":{
              "Count":{"Type":"Pass","Assign":{"n":"{% $states.input.n %}"},"Next":"Call"},
              "Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"FunctionName":"Work","Payload":{"n":"{% $n %}"}},
                      "Assign":{"n":"{% $n + 1 %}"},"Output":"{% $states.result.Payload %}","Next":"Done"},
              "Done":{"Type":"Pass","Output":{"n":"{% $n %}","payload":"{% $states.input %}"},"End":true}}}
            """);
        var execution = engine.Start(machine, JValue.Parse("""{"n":41}"""));
        Assert.Equal(ExecutionStatus.Failed, (await execution.WaitAsync()).Status);

        var redriven = await execution.Redrive();

        Assert.Equal(ExecutionStatus.Succeeded, redriven.Status);
        Assert.Equal(JValue.Parse("""{"n":42,"payload":{"n":41}}"""), redriven.Output);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_JSONata_Distributed_Map_writes_results_and_redrives_only_its_failed_batch()
    {
        var storage = new MemoryObjectStorage();
        storage.Put("b/in.jsonl", Encoding.UTF8.GetBytes("1\n2\n3\n4\n"));
        var engine = NewEngine(storage);
        var broken = true;
        var seen = new List<string>();
        engine.Functions.Register("Work", payload =>
        {
            lock (seen)
            {
                seen.Add(payload.ToJsonString());
            }

            return broken && payload.ToJsonString().Contains("[3,4]", StringComparison.Ordinal) ? throw new InvalidOperationException("not yet") : payload;
        });
        var machine = StateMachine.Load("Ingest", """
            {"QueryLanguage":"JSONata","StartAt":"Map","States":{"Map":{"Type":"Map",
              "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSONL"},"Arguments":{"Bucket":"b","Key":"in.jsonl"}},
              "ItemBatcher":{"MaxItemsPerBatch":2},
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"T","States":{
                "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"FunctionName":"Work","Payload":"{% $states.input.Items %}"},
                     "Output":"{% $states.result.Payload %}","End":true}}},
              "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Arguments":{"Bucket":"b","Prefix":"{% $states.input.prefix %}"}},
              "Output":{"run":"{% $exists($states.result.MapRunArn) %}"},
              "End":true}}}
            """);
        var execution = engine.Start(machine, JValue.Parse("""{"prefix":"out"}"""));
        Assert.Equal(ExecutionStatus.Failed, (await execution.WaitAsync()).Status);

        broken = false;
        seen.Clear();
        var redriven = await execution.Redrive();

        Assert.Equal(ExecutionStatus.Succeeded, redriven.Status);
        Assert.Equal(JValue.Parse("""{"run":true}"""), redriven.Output);
        Assert.Equal(["[3,4]"], seen);
        Assert.Contains(storage.Keys, k => k.StartsWith("b/out/", StringComparison.Ordinal) && k.EndsWith("manifest.json", StringComparison.Ordinal));
    }
}
