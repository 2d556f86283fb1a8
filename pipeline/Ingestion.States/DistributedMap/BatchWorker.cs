using Ingestion.States.Errors;
using Ingestion.States.History;
using Ingestion.States.Model;
using Ingestion.States.Runtime;

namespace Ingestion.States.DistributedMap;

/// <summary>One of the Distributed Map's workers: runs each batch it takes from the channel as a child execution.</summary>
internal static class BatchWorker
{
    public static async Task WorkAsync(MapRunState state)
    {
        var mapRun = state.MapRun;
        await foreach (var batch in state.Channel.Reader.ReadAllAsync(state.Token))
        {
            // ReadAllAsync hands out what is buffered without looking at the token: a stopped or failed run
            // must not start another child.
            state.Token.ThrowIfCancellationRequested();
            if (state.Memory.Succeeded.TryGetValue(batch.Index, out var earlier))
            {
                // Redrive: this batch already succeeded; only its output is reused.
                mapRun.ChildStarted(batch.ItemCount);
                mapRun.ChildEnded(batch.ItemCount, ExecutionStatus.Succeeded);
                state.Reuse(batch.Index, earlier);
                continue;
            }

            var record = await RunChildAsync(state, batch);
            var status = record.Result.Status;
            if (state.Writer is { } writer)
            {
                var category = status == ExecutionStatus.Succeeded ? "SUCCEEDED" : status == ExecutionStatus.Aborted ? "PENDING" : "FAILED";
                await writer.AddAsync(record, category, CancellationToken.None);
                mapRun.ResultWritten(batch.ItemCount);
            }

            var output = state.Writer is null
                ? record.Result.Output ?? new ErrorOutput(record.Result.Error ?? "", record.Result.Cause).ToJson()
                : null;
            state.Record(batch, output, status == ExecutionStatus.Succeeded);
            state.Options.OnMapRunProgress?.Invoke(mapRun);
            if (status != ExecutionStatus.Succeeded && state.Settings.FailsEarly && state.Settings.Exceeded(state.FailedItems, long.MaxValue))
            {
                // A count threshold is known to be exceeded now: start no more children.
                state.Fail(MapRunSettings.ToleranceExceeded());
            }
        }
    }

    private static async Task<ChildRecord> RunChildAsync(MapRunState state, Batch batch)
    {
        var parent = state.Run;
        var map = state.Map;
        var mapRun = state.MapRun;
        var child = parent.Engine.CreateChild(state.ChildMachine, mapRun, batch.Input);
        mapRun.ChildStarted(batch.ItemCount);
        var childRun = new ExecutionRun(parent.Engine, child, parent.Mocks,
            map.ExecutionType == ChildExecutionType.Express ? HistoryMode.None : HistoryMode.Full, redriveCount: 0);
        child.Start(childRun, () => childRun.RunAsync());
        ExecutionResult result;
        using (state.Token.Register(() => child.Stop("States.Aborted", "The map run stopped.")))
        {
            result = await child.Completion;
        }

        mapRun.ChildEnded(batch.ItemCount, result.Status);
        state.Options.OnChildEnded?.Invoke(mapRun, batch.ItemCount, result);
        return new ChildRecord(batch.Index, batch.ItemCount, child.Name, child.Arn, child.StateMachineArn, batch.Input, result, child.StartDate, child.StopDate ?? child.StartDate);
    }
}
