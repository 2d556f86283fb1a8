using Ingestion.States.Errors;
using Ingestion.States.History;
using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Templates;

namespace Ingestion.States.Runtime;

internal sealed partial class ExecutionRun
{
    /// <summary>AWS runs at most 40 inline Map iterations at once, whatever MaxConcurrency says above that.</summary>
    private const int InlineConcurrencyCap = 40;

    private ValueTask<StepResult> RunMapAsync(State.Map map, JValue input, DateTimeOffset entered, Trace trace, CancellationToken ct) =>
        WithRetryAsync(map, map.Retry, map.Catch, input, retryCount => map.Mode == ProcessorMode.Distributed
            ? AttemptDistributedMapAsync(map, input, entered, retryCount, trace, ct)
            : AttemptInlineMapAsync(map, input, entered, retryCount, trace, ct), entered, trace, ct);

    private async ValueTask<StepResult> AttemptInlineMapAsync(State.Map map, JValue input, DateTimeOffset entered, int retryCount, Trace trace, CancellationToken ct)
    {
        var context = new StateContext(this, map.Name, entered, retryCount, trace.Variables);
        var effective = DataFlow.Select(map.InputPath, input, context);
        var items = ItemsOf(map, effective, context, Options.Random);
        var concurrency = MaxConcurrencyOf(map, effective, context, Options.Random);
        Record(trace, new HistoryEvent("MapStateStarted") { StateName = map.Name, Index = items.Count });

        var results = new JValue[items.Count];
        var failure = new FirstFailure();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var next = -1;
        var workerCount = Math.Min(concurrency is 0 ? InlineConcurrencyCap : Math.Min(concurrency, InlineConcurrencyCap), items.Count);
        var workers = new Task[workerCount];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = WorkAsync();
        }

        await Task.WhenAll(workers);
        ct.ThrowIfCancellationRequested();
        if (failure.Error is { } error)
        {
            Record(trace, new HistoryEvent("MapStateFailed") { StateName = map.Name, Error = error.Error, Cause = error.Cause });
            throw failure.Exception!;
        }

        Record(trace, new HistoryEvent("MapStateSucceeded") { StateName = map.Name });
        JValue result = new JArray(results);
        result = map.ResultSelector?.Evaluate(new EvaluationScope(result, context, Options.Random)) ?? result;
        var output = Output(map, DataFlow.Merge(map.ResultPath, input, result), context);
        return map.Assign is null && map.Output is null
            ? new StepResult(output, map.Next)
            : Finish(map, input, result, output, context, trace, map.Next, map.Assign, map.Output);

        async Task WorkAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < items.Count && !linked.IsCancellationRequested)
            {
                // Each iteration has its own variables, reading the state's and gone when the iteration ends.
                var iterationTrace = new Trace(trace.Last, map.ItemProcessor.AssignsVariables ? trace.Variables.Child() : trace.Variables);
                if (History.Enabled)
                {
                    Record(iterationTrace, new HistoryEvent("MapIterationStarted") { StateName = map.Name, Index = index });
                }
                else
                {
                    Skip(iterationTrace);
                }

                try
                {
                    var itemInput = map.ItemSelector is null
                        ? items[index]
                        : map.ItemSelector.Evaluate(new EvaluationScope(effective, context.ForMapItem(index, items[index]), Options.Random));
                    var pending = RunGraphAsync(map.ItemProcessor, itemInput, iterationTrace, linked.Token);
                    results[index] = pending.IsCompletedSuccessfully ? pending.Result : await pending;
                    if (History.Enabled)
                    {
                        Record(iterationTrace, new HistoryEvent("MapIterationSucceeded") { StateName = map.Name, Index = index });
                    }
                    else
                    {
                        Skip(iterationTrace);
                    }
                }
                catch (OperationCanceledException) when (linked.IsCancellationRequested)
                {
                    Record(iterationTrace, new HistoryEvent("MapIterationAborted") { StateName = map.Name, Index = index });
                }
                catch (Exception e)
                {
                    var error = ErrorOutput.From(e);
                    Record(iterationTrace, new HistoryEvent("MapIterationFailed") { StateName = map.Name, Index = index, Error = error.Error, Cause = error.Cause });
                    if (failure.TrySet(e))
                    {
                        await linked.CancelAsync();
                    }
                }
                finally
                {
                    if (iterationTrace.Variables != trace.Variables)
                    {
                        iterationTrace.Variables.Release();
                    }
                }
            }
        }
    }

    /// <summary>MaxConcurrency, MaxConcurrencyPath or (JSONata) its expression; 0 means no limit.</summary>
    internal static int MaxConcurrencyOf(State.Map map, JValue effective, StateContext context, IRandomSource random)
    {
        if (map.MaxConcurrencyExpression is { } expression)
        {
            return (int)JsonataNumbers.Integer(expression, "MaxConcurrency", new EvaluationScope(effective, context, random), 0, int.MaxValue);
        }

        return map.MaxConcurrencyPath is null ? map.MaxConcurrency ?? 0 : PathNumbers.MaxConcurrency(map.MaxConcurrencyPath, effective, context);
    }

    /// <summary>The items: ItemsPath's array, or (JSONata) Items' array, the state's input when Items is absent.</summary>
    internal static JArray ItemsOf(State.Map map, JValue effective, StateContext context, IRandomSource random)
    {
        if (map.Items is PayloadTemplate.JsonataField { Query: var query } field)
        {
            var value = query.Evaluate(field.Field, new EvaluationScope(effective, context, random));
            return value as JArray ?? throw query.WrongType("Items", "array", value);
        }

        if (map.Items is not null)
        {
            return map.Items.Evaluate(new EvaluationScope(effective, context, random)) as JArray ?? JArray.Empty;
        }

        return DataFlow.Select(map.ItemsPath, effective, context) as JArray
            ?? throw StatesException.Runtime(map.IsJsonata
                ? $"The input of the state '{map.Name}' must be a JSON array when it has no Items."
                : $"The ItemsPath '{map.ItemsPath?.Text}' of the state '{map.Name}' must point to a JSON array.");
    }

    private ValueTask<StepResult> AttemptDistributedMapAsync(State.Map map, JValue input, DateTimeOffset entered, int retryCount, Trace trace, CancellationToken ct) =>
        DistributedMap.DistributedMapRunner.RunAsync(this, map, input, entered, retryCount, trace, ct);

    /// <summary>The map run of a Distributed Map state: a new one, or on redrive the one that failed.</summary>
    public DistributedMap.MapRunMemory MapRunMemoryFor(string stateName)
    {
        lock (MapRuns)
        {
            if (MapRuns.TryGetValue(stateName, out var memory) && memory.Run.Status != "SUCCEEDED")
            {
                memory.Run.ResetForRedrive();
                return memory;
            }

            var id = Guid.NewGuid().ToString();
            var label = stateName;
            var run = new MapRun($"arn:aws:states:{Options.Region}:{Options.AccountId}:mapRun:{Execution.StateMachine.Name}/{label}:{id}", id, stateName, Clock.GetUtcNow());
            memory = new DistributedMap.MapRunMemory(run);
            MapRuns[stateName] = memory;
            Execution.AddMapRun(run);
            return memory;
        }
    }
}
