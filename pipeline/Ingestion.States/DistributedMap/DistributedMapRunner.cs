using Ingestion.States.Errors;
using Ingestion.States.History;
using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Runtime;
using Ingestion.States.Templates;

namespace Ingestion.States.DistributedMap;

/// <summary>
/// Runs a Distributed Map: items stream from the reader through ItemSelector and ItemBatcher into
/// a bounded channel (<see cref="ItemProducer"/>), a pool of <see cref="BatchWorker"/>s runs each batch
/// as a child execution, results stream to the ResultWriter. Memory is bounded by concurrency × batch
/// size, whatever the file size.
/// </summary>
internal static class DistributedMapRunner
{
    public static async ValueTask<StepResult> RunAsync(ExecutionRun run, State.Map map, JValue input, DateTimeOffset entered, int retryCount, Trace trace, CancellationToken ct)
    {
        var options = run.Options;
        var context = new StateContext(run, map.Name, entered, retryCount, trace.Variables);
        var effective = DataFlow.Select(map.InputPath, input, context);
        var settings = MapRunSettings.Resolve(map, effective, options, context);

        var memory = run.MapRunMemoryFor(map.Name);
        var mapRun = memory.Run;
        run.Record(trace, new HistoryEvent("MapRunStarted") { StateName = map.Name, MapRunArn = mapRun.Arn });
        options.OnMapRunProgress?.Invoke(mapRun);

        var childMachine = StateMachine.FromDefinition($"{run.Execution.StateMachine.Name}/{map.Label ?? map.Name}",
            new StateMachineDefinition(map.ItemProcessor, null, null, null),
            map.ExecutionType == ChildExecutionType.Express ? StateMachineType.Express : StateMachineType.Standard);
        using var writer = OpenWriter(map, new EvaluationScope(effective, context, options.Random), options, mapRun, memory);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var state = new MapRunState(run, map, context, effective, settings, memory, childMachine, writer, linked);

        await RunChildrenAsync(state, ct);
        return await CompleteAsync(state, input, trace, ct);
    }

    /// <summary>Starts the producer and the workers and waits for all of them; a failure is kept in the state.</summary>
    private static async Task RunChildrenAsync(MapRunState state, CancellationToken ct)
    {
        var producer = Task.Run(() => ItemProducer.ProduceAsync(state), state.Token);
        var workers = new Task[state.Settings.Concurrency];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(() => BatchWorker.WorkAsync(state), state.Token);
        }

        try
        {
            await producer;
        }
        catch (OperationCanceledException) when (state.Token.IsCancellationRequested)
        {
            // The run failed or was stopped: the workers stop too, and are waited for below, so no child outlives it.
        }
        catch (StatesException e)
        {
            state.Fail(e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            state.Fail(new StatesException(StatesErrors.ItemReaderFailed, $"Failed to read items: {e.Message}"));
        }

        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (state.Token.IsCancellationRequested)
        {
        }

        ct.ThrowIfCancellationRequested();
    }

    /// <summary>Closes the result files, records how the map run ended and builds the state's output (or throws its failure).</summary>
    private static async Task<StepResult> CompleteAsync(MapRunState state, JValue input, Trace trace, CancellationToken ct)
    {
        var (run, map, options, mapRun, memory, writer) = (state.Run, state.Map, state.Options, state.MapRun, state.Memory, state.Writer);
        if (state.Failure is null && state.Settings.Exceeded(state.FailedItems, state.TotalItems))
        {
            state.FailAtEnd(MapRunSettings.ToleranceExceeded());
        }

        string? manifest = null;
        if (writer is not null)
        {
            manifest = await writer.CompleteAsync(ct);
            memory.SucceededFiles.Clear();
            memory.SucceededFiles.AddRange(writer.SucceededFiles);
            memory.NextSucceededFileIndex = writer.NextSucceededIndex;
        }

        mapRun.StopDate = run.Clock.GetUtcNow();
        if (state.Failure is { } failure)
        {
            mapRun.Status = "FAILED";
            options.OnMapRunProgress?.Invoke(mapRun);
            run.Record(trace, new HistoryEvent("MapRunFailed") { StateName = map.Name, MapRunArn = mapRun.Arn, Error = failure.Error, Cause = failure.Cause });
            throw failure;
        }

        mapRun.Status = "SUCCEEDED";
        options.OnMapRunProgress?.Invoke(mapRun);
        run.Record(trace, new HistoryEvent("MapRunSucceeded") { StateName = map.Name, MapRunArn = mapRun.Arn });
        JValue result = writer is null
            ? new JArray([.. Outputs(map.ResultWriter?.Transformation ?? ResultTransformation.Compact, state.Outputs)])
            : new JObject(
            [
                new("MapRunArn", new JString(mapRun.Arn)),
                new("ResultWriterDetails", new JObject([new("Bucket", new JString(state.Settings.WriterBucket!)), new("Key", new JString(manifest!))])),
            ]);
        result = map.ResultSelector?.Evaluate(new EvaluationScope(result, state.Context, options.Random)) ?? result;
        var output = DataFlow.Select(map.OutputPath, DataFlow.Merge(map.ResultPath, input, result), state.Context);
        return map.Assign is null && map.Output is null
            ? new StepResult(output, map.Next)
            : run.Finish(map, input, result, output, state.Context, trace, map.Next, map.Assign, map.Output);
    }

    /// <summary>The state's own result when nothing is exported: the children's outputs in item order, arrays spread out by FLATTEN.</summary>
    private static IEnumerable<JValue> Outputs(ResultTransformation transformation, IEnumerable<JValue?> outputs)
    {
        foreach (var output in outputs)
        {
            if (transformation == ResultTransformation.Flatten && output is JArray elements)
            {
                foreach (var element in elements)
                {
                    yield return element;
                }
            }
            else
            {
                yield return output ?? JValue.Null;
            }
        }
    }

    private static ResultFiles? OpenWriter(State.Map map, EvaluationScope scope, StatesEngineOptions options, MapRun mapRun, MapRunMemory memory)
    {
        if (map.ResultWriter is not { Exports: true } config)
        {
            return null;
        }

        var storage = options.Storage ?? throw new StatesException(StatesErrors.ResultWriterFailed, "No object storage is configured (StatesEngineOptions.Storage).");
        var (bucket, prefix) = MapRunSettings.WriterTarget(map, scope);
        var folder = prefix.Length == 0 ? mapRun.Id : $"{prefix}/{mapRun.Id}";
        var files = new ResultFiles(storage, bucket, folder, mapRun.Arn, options.ResultFilePartBytes, config.Transformation, config.OutputType);
        files.Carry(memory.SucceededFiles, memory.NextSucceededFileIndex);
        return files;
    }
}
