using System.Text;
using Ingestion.States.Json;
using Ingestion.States.Tests.Support;

namespace Ingestion.States.Tests;

/// <summary>Distributed Map behaviour a case file cannot pin down: result files, redrive, progress.</summary>
public sealed class DistributedMapTests
{
    private const string Definition = """
        {"StartAt":"Map","States":{"Map":{"Type":"Map",
          "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSONL"},"Parameters":{"Bucket":"b","Key":"in.jsonl"}},
          "ItemBatcher":{"MaxItemsPerBatch":2},
          "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Work","Payload.$":"$"},"OutputPath":"$.Payload","End":true}}},
          "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b","Prefix.$":"$.prefix"}},
          "ToleratedFailurePercentage":0,
          "Next":"Done"},"Done":{"Type":"Pass","End":true}}}
        """;

    private static (StatesEngine Engine, MemoryObjectStorage Storage) Engine(Func<JValue, JValue> work)
    {
        var storage = new MemoryObjectStorage();
        storage.Put("b/in.jsonl", Encoding.UTF8.GetBytes("1\n2\n3\n4\n5\n"));
        var engine = new StatesEngine(new StatesEngineOptions { Storage = storage, Clock = new VirtualTimeProvider() });
        engine.Functions.Register("Work", work);
        return (engine, storage);
    }

    [Fact]
    public async Task ResultWriter_writes_manifest_and_result_files_in_AWS_layout()
    {
        var (engine, storage) = Engine(payload => payload);
        var execution = engine.Start(StateMachine.Load("Ingest", Definition), JValue.Parse("""{"prefix":"results/"}"""));
        var result = await execution.WaitAsync();

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var output = (JObject)result.Output!;
        var mapRun = Assert.Single(execution.MapRuns);
        Assert.Equal(mapRun.Arn, ((JString)output.Get("MapRunArn")!).Value);
        Assert.StartsWith("arn:aws:states:us-east-1:123456789012:mapRun:Ingest/Map:", mapRun.Arn, StringComparison.Ordinal);
        var details = (JObject)output.Get("ResultWriterDetails")!;
        Assert.Equal("b", ((JString)details.Get("Bucket")!).Value);
        Assert.Equal($"results/{mapRun.Id}/manifest.json", ((JString)details.Get("Key")!).Value);

        Assert.True(storage.TryGet($"b/results/{mapRun.Id}/manifest.json", out var manifestValue));
        var manifest = (JObject)manifestValue;
        Assert.Equal("b", ((JString)manifest.Get("DestinationBucket")!).Value);
        Assert.Equal(mapRun.Arn, ((JString)manifest.Get("MapRunArn")!).Value);
        var files = (JObject)manifest.Get("ResultFiles")!;
        Assert.Empty((JArray)files.Get("FAILED")!);
        Assert.Empty((JArray)files.Get("PENDING")!);
        var succeeded = (JObject)((JArray)files.Get("SUCCEEDED")!)[0];
        Assert.Equal($"results/{mapRun.Id}/SUCCEEDED_0.json", ((JString)succeeded.Get("Key")!).Value);

        Assert.True(storage.TryGet($"b/results/{mapRun.Id}/SUCCEEDED_0.json", out var entriesValue));
        var entries = ((JArray)entriesValue).Cast<JObject>().OrderBy(e => ((JString)e.Get("Input")!).Value, StringComparer.Ordinal).ToList();
        Assert.Equal(3, entries.Count);
        Assert.Equal(((JNumber)succeeded.Get("Size")!).LongValue, entriesValue.Utf8Length);
        var first = entries[0];
        Assert.Equal("""{"Items":[1,2]}""", ((JString)first.Get("Input")!).Value);
        Assert.Equal("""{"Items":[1,2]}""", ((JString)first.Get("Output")!).Value);
        Assert.Equal("SUCCEEDED", ((JString)first.Get("Status")!).Value);
        Assert.StartsWith("arn:aws:states:us-east-1:123456789012:execution:Ingest/Map:", ((JString)first.Get("ExecutionArn")!).Value, StringComparison.Ordinal);
        foreach (var field in new[] { "InputDetails", "Name", "OutputDetails", "RedriveCount", "RedriveStatus", "StartDate", "StateMachineArn", "StopDate" })
        {
            Assert.NotNull(first.Get(field));
        }
    }

    private static string WithWriterConfig(string config) => Definition.Replace(
        "\"Prefix.$\":\"$.prefix\"}}", $"\"Prefix.$\":\"$.prefix\"}},\"WriterConfig\":{config}}}", StringComparison.Ordinal);

    [Fact]
    public async Task WriterConfig_COMPACT_keeps_a_succeeded_childs_output_alone_and_a_failed_childs_record_whole()
    {
        var (engine, storage) = Engine(payload => ((JArray)((JObject)payload).Get("Items")!)[0] is JNumber { LongValue: 3 }
            ? throw new InvalidOperationException("three is bad")
            : payload);
        var definition = WithWriterConfig("""{"Transformation":"COMPACT","OutputType":"JSON"}""");
        var execution = engine.Start(StateMachine.Load("Ingest", definition), JValue.Parse("""{"prefix":"out"}"""));
        await execution.WaitAsync();

        var mapRun = Assert.Single(execution.MapRuns);
        Assert.True(storage.TryGet($"b/out/{mapRun.Id}/SUCCEEDED_0.json", out var succeeded));
        Assert.Equal(["""{"Items":[1,2]}""", """{"Items":[5]}"""], ((JArray)succeeded).Select(e => e.ToJsonString()).Order(StringComparer.Ordinal));
        Assert.True(storage.TryGet($"b/out/{mapRun.Id}/FAILED_0.json", out var failed));
        var entry = (JObject)Assert.Single((JArray)failed);
        Assert.Equal("""{"Items":[3,4]}""", ((JString)entry.Get("Input")!).Value);
        Assert.Equal("FAILED", ((JString)entry.Get("Status")!).Value);
    }

    [Fact]
    public async Task WriterConfig_FLATTEN_as_JSON_Lines_writes_each_element_of_an_array_output_on_its_own_line()
    {
        var (engine, storage) = Engine(payload => ((JObject)payload).Get("Items")!);
        var definition = WithWriterConfig("""{"Transformation":"FLATTEN","OutputType":"JSONL"}""");
        var execution = engine.Start(StateMachine.Load("Ingest", definition), JValue.Parse("""{"prefix":"out"}"""));

        Assert.Equal(ExecutionStatus.Succeeded, (await execution.WaitAsync()).Status);
        var mapRun = Assert.Single(execution.MapRuns);
        var lines = storage.Text($"b/out/{mapRun.Id}/SUCCEEDED_0.json").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["1", "2", "3", "4", "5"], lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Failed_children_go_to_FAILED_files_with_error_and_cause()
    {
        var (engine, storage) = Engine(payload => ((JArray)((JObject)payload).Get("Items")!)[0] is JNumber { LongValue: 3 }
            ? throw new InvalidOperationException("three is bad")
            : payload);
        var execution = engine.Start(StateMachine.Load("Ingest", Definition), JValue.Parse("""{"prefix":"out"}"""));
        var result = await execution.WaitAsync();

        Assert.Equal("States.ExceedToleratedFailureThreshold", result.Error);
        var mapRun = execution.MapRuns[0];
        Assert.Equal("FAILED", mapRun.Status);
        Assert.True(storage.TryGet($"b/out/{mapRun.Id}/FAILED_0.json", out var failed));
        var entry = (JObject)Assert.Single((JArray)failed);
        Assert.Equal("FAILED", ((JString)entry.Get("Status")!).Value);
        Assert.Equal("InvalidOperationException", ((JString)entry.Get("Error")!).Value);
        Assert.Contains("three is bad", ((JString)entry.Get("Cause")!).Value, StringComparison.Ordinal);
        Assert.Null(entry.Get("Output"));
        Assert.Contains(execution.GetHistory(), e => e.Type == "MapRunFailed");
    }

    [Fact]
    public async Task Redrive_reruns_only_the_failed_batches_and_resumes()
    {
        var calls = new List<string>();
        var broken = true;
        var (engine, _) = Engine(payload =>
        {
            lock (calls)
            {
                calls.Add(payload.ToJsonString());
            }

            return broken && ((JArray)((JObject)payload).Get("Items")!)[0] is JNumber { LongValue: 3 } ? throw new InvalidOperationException("not yet") : payload;
        });
        var execution = engine.Start(StateMachine.Load("Ingest", Definition), JValue.Parse("""{"prefix":"out"}"""));
        Assert.Equal(ExecutionStatus.Failed, (await execution.WaitAsync()).Status);
        Assert.Equal(3, calls.Count);

        broken = false;
        calls.Clear();
        var redriven = await execution.Redrive();

        Assert.Equal(ExecutionStatus.Succeeded, redriven.Status);
        Assert.Equal(["""{"Items":[3,4]}"""], calls);
        Assert.Equal(1, execution.RedriveCount);
        Assert.Single(execution.MapRuns);
        Assert.Equal("SUCCEEDED", execution.MapRuns[0].Status);
        var types = execution.GetHistory().Select(e => e.Type).ToList();
        Assert.Contains("ExecutionRedriven", types);
        Assert.Equal("ExecutionSucceeded", types[^1]);
    }

    [Fact]
    public async Task Redrive_resumes_at_a_Distributed_Map_whose_failure_was_caught()
    {
        // AWS redrives every state entered without a matching Exited event: a caught Map failure is one, so the redrive
        // starts there (re-running only the failed batch), not at the Fail state the execution ended in.
        const string caught = """
            {"StartAt":"Map","States":{"Map":{"Type":"Map",
              "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSONL"},"Parameters":{"Bucket":"b","Key":"in.jsonl"}},
              "ItemBatcher":{"MaxItemsPerBatch":2},
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Work","Payload.$":"$"},"OutputPath":"$.Payload","End":true}}},
              "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b","Prefix":"out"}},
              "ToleratedFailurePercentage":0,
              "ResultPath":"$.map",
              "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.map","Next":"Check"}],
              "Next":"Check"},
             "Check":{"Type":"Choice","Choices":[{"Variable":"$.map.Error","IsPresent":true,"Next":"Failed"}],"Default":"Done"},
             "Failed":{"Type":"Fail","Error":"RecordsFailed","Cause":"a batch failed"},
             "Done":{"Type":"Succeed"}}}
            """;
        var calls = new List<string>();
        var broken = true;
        var (engine, _) = Engine(payload =>
        {
            lock (calls)
            {
                calls.Add(payload.ToJsonString());
            }

            return broken && ((JArray)((JObject)payload).Get("Items")!)[0] is JNumber { LongValue: 3 } ? throw new InvalidOperationException("not yet") : payload;
        });
        var execution = engine.Start(StateMachine.Load("Ingest", caught), JValue.Parse("{}"), new StartExecutionOptions { History = History.HistoryMode.Full });
        var first = await execution.WaitAsync();
        Assert.Equal(("RecordsFailed", 3), (first.Error, calls.Count));
        var firstAttempt = execution.GetHistory().Select(e => e.Type).ToList();
        Assert.Contains("MapStateEntered", firstAttempt);
        Assert.DoesNotContain("MapStateExited", firstAttempt);

        broken = false;
        calls.Clear();
        var redriven = await execution.Redrive();

        Assert.Equal(ExecutionStatus.Succeeded, redriven.Status);
        Assert.Equal(["""{"Items":[3,4]}"""], calls);
        Assert.Equal("SUCCEEDED", Assert.Single(execution.MapRuns).Status);
        var history = execution.GetHistory().Select(e => e.Type).ToList();
        var resumed = history[(history.IndexOf("ExecutionRedriven") + 1)..];
        Assert.Equal("MapStateEntered", resumed[0]);
        Assert.Contains("MapStateExited", resumed);
        Assert.Equal("SucceedStateEntered", resumed[^3]);
        Assert.Equal("ExecutionSucceeded", resumed[^1]);
    }

    [Fact]
    public async Task Progress_is_observable_while_running()
    {
        var snapshots = new List<MapRunProgress>();
        var storage = new MemoryObjectStorage();
        storage.Put("b/in.jsonl", Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(1, 10))));
        var engine = new StatesEngine(new StatesEngineOptions
        {
            Storage = storage,
            OnMapRunProgress = run =>
            {
                lock (snapshots)
                {
                    snapshots.Add(run.Progress);
                }
            },
        });
        engine.Functions.Register("Work", payload => payload);
        var result = await engine.RunAsync(StateMachine.Load("Ingest", Definition), JValue.Parse("""{"prefix":"p"}"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.True(snapshots.Count >= 5);
        var last = snapshots[^1];
        Assert.Equal("SUCCEEDED", last.Status);
        Assert.Equal(10, last.Items.Succeeded);
        Assert.Equal(10, last.Items.Total);
        Assert.Equal(5, last.Executions.Succeeded);
        Assert.Equal(10, last.Items.ResultsWritten);
        Assert.Contains(snapshots, s => s.Items.Succeeded is > 0 and < 10);
    }

    [Fact]
    public async Task Children_are_executions_with_their_own_history_for_standard_type()
    {
        var (engine, _) = Engine(payload => payload);
        var execution = engine.Start(StateMachine.Load("Ingest", Definition), JValue.Parse("""{"prefix":"p"}"""));
        await execution.WaitAsync();
        Assert.Equal(3, execution.MapRuns[0].Progress.Executions.Succeeded);
    }
}
