using System.Text;
using Ingestion.States.Json;
using Ingestion.States.Tests.Support;

namespace Ingestion.States.Tests;

/// <summary>
/// A stopped execution ends ABORTED only once the work it started has ended: whoever reads ABORTED (a local run
/// releasing its file) can rely on nothing of that execution happening afterwards.
/// </summary>
public sealed class StopTests
{
    [Fact]
    public async Task A_stopped_task_with_a_timeout_is_waited_for_before_the_execution_ends()
    {
        var work = new SlowToStop();
        var engine = new StatesEngine(new StatesEngineOptions { Clock = new VirtualTimeProvider() });
        engine.Functions.Register("Work", work.RunAsync);
        var machine = StateMachine.Load("Stop", """
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Work"},"TimeoutSeconds":60,"End":true}}}
            """);

        var execution = engine.Start(machine, new JObject([]));
        await work.StopOnceRunningAsync(execution);

        Assert.Equal(ExecutionStatus.Aborted, (await execution.Completion).Status);
        Assert.False(work.ExecutionHadEndedFirst);
    }

    [Fact]
    public async Task A_Distributed_Map_stopped_while_still_reading_items_waits_for_its_running_children()
    {
        var storage = new MemoryObjectStorage();
        // Far more batches than the one child and the channel hold: the reader is still at work when the stop comes.
        storage.Put("b/in.jsonl", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, 2_000).Select(i => $"{i}\n"))));
        var work = new SlowToStop();
        var engine = new StatesEngine(new StatesEngineOptions { Storage = storage, Clock = new VirtualTimeProvider() });
        engine.Functions.Register("Work", work.RunAsync);
        var machine = StateMachine.Load("Stop", """
            {"StartAt":"Map","States":{"Map":{"Type":"Map",
              "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSONL"},"Parameters":{"Bucket":"b","Key":"in.jsonl"}},
              "ItemBatcher":{"MaxItemsPerBatch":2},
              "MaxConcurrency":1,
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Work"},"End":true}}},
              "End":true}}}
            """);

        var execution = engine.Start(machine, new JObject([]));
        await work.StopOnceRunningAsync(execution);

        Assert.Equal(ExecutionStatus.Aborted, (await execution.Completion).Status);
        Assert.False(work.ExecutionHadEndedFirst);
    }

    /// <summary>A function that, told to stop, takes until the test lets it to wind down, then notes whether the execution had already ended.</summary>
    private sealed class SlowToStop
    {
        private readonly TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _heardStop = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _windDown = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Execution? _execution;

        public bool ExecutionHadEndedFirst { get; private set; }

        public async ValueTask<JValue> RunAsync(JValue payload, CancellationToken ct)
        {
            _running.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                _heardStop.TrySetResult();
                await _windDown.Task;
                ExecutionHadEndedFirst |= _execution!.Completion.IsCompleted;
                throw;
            }

            return payload;
        }

        /// <summary>Stops the execution once the function runs, and lets the function wind down once it has heard the stop.</summary>
        public async Task StopOnceRunningAsync(Execution execution)
        {
            _execution = execution;
            await _running.Task;
            execution.Stop("Stopped", "By the test.");
            await _heardStop.Task;
            // An execution that does not wait for its work ends within moments of the stop: give it a second to show
            // (a correct one passes whatever the machine's speed; only a wrong one could slip through a slow second).
            await Task.WhenAny(execution.Completion, Task.Delay(TimeSpan.FromSeconds(1)));
            _windDown.TrySetResult();
        }
    }
}
