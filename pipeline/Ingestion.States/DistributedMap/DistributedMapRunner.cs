using System.Threading.Channels;
using Ingestion.States.Errors;
using Ingestion.States.History;
using Ingestion.States.ItemReaders;
using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Runtime;
using Ingestion.States.Templates;

namespace Ingestion.States.DistributedMap;

/// <summary>
/// Runs a Distributed Map: items stream from the reader through ItemSelector and ItemBatcher into
/// a bounded channel, a pool of workers runs each batch as a child execution, results stream to
/// the ResultWriter. Memory is bounded by concurrency × batch size, whatever the file size.
/// </summary>
internal static class DistributedMapRunner
{
    public static async ValueTask<StepResult> RunAsync(ExecutionRun run, State.Map map, JValue input, DateTimeOffset entered, int retryCount, Trace trace, CancellationToken ct)
    {
        var options = run.Options;
        var context = new StateContext(run, map.Name, entered, retryCount);
        var effective = DataFlow.Select(map.InputPath, input, context);
        var scope = new EvaluationScope(effective, context, options.Random);
        var settings = Settings.Resolve(map, effective, options);

        var memory = run.MapRunMemoryFor(map.Name);
        var mapRun = memory.Run;
        run.Record(trace, new HistoryEvent("MapRunStarted") { StateName = map.Name, MapRunArn = mapRun.Arn });
        options.OnMapRunProgress?.Invoke(mapRun);

        var childMachine = StateMachine.FromDefinition($"{run.Execution.StateMachine.Name}/{map.Label ?? map.Name}",
            new StateMachineDefinition(map.ItemProcessor, null, null, null),
            map.ExecutionType == ChildExecutionType.Express ? StateMachineType.Express : StateMachineType.Standard);
        using var writer = OpenWriter(map, scope, options, mapRun, memory);
        var outputs = new SortedDictionary<int, JValue?>();
        var failedItems = 0L;
        var totalItems = 0L;
        var failure = (StatesException?)null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(settings.Concurrency) { SingleWriter = true });

        var producer = Task.Run(() => ProduceAsync(), linked.Token);
        var workers = new Task[settings.Concurrency];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(() => WorkAsync(), linked.Token);
        }

        try
        {
            await producer;
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested && !ct.IsCancellationRequested)
        {
        }
        catch (StatesException e)
        {
            Fail(e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fail(new StatesException(StatesErrors.ItemReaderFailed, $"Failed to read items: {e.Message}"));
        }

        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }

        ct.ThrowIfCancellationRequested();
        if (failure is null && Exceeded(settings, failedItems, totalItems))
        {
            failure = ToleranceExceeded();
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
        if (failure is not null)
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
            ? new JArray([.. Outputs(map.ResultWriter?.Transformation ?? ResultTransformation.Compact, outputs.Values)])
            : new JObject(
            [
                new("MapRunArn", new JString(mapRun.Arn)),
                new("ResultWriterDetails", new JObject([new("Bucket", new JString(settings.WriterBucket!)), new("Key", new JString(manifest!))])),
            ]);
        result = map.ResultSelector?.Evaluate(new EvaluationScope(result, context, options.Random)) ?? result;
        return new StepResult(Output(map, DataFlow.Merge(map.ResultPath, input, result), context), map.Next);

        void Fail(StatesException e)
        {
            lock (outputs)
            {
                failure ??= e;
            }

            linked.Cancel();
        }

        async Task ProduceAsync()
        {
            try
            {
                var read = map.ItemReader is { } reader
                    ? ItemSource.ReadAsync(reader, reader.Parameters.Evaluate(scope), options.Storage, settings.MaxItems, linked.Token)
                    : FromArray(DataFlow.Select(map.ItemsPath, effective) as JArray
                        ?? throw StatesException.Runtime($"The ItemsPath of the state '{map.Name}' must point to a JSON array."));
                var items = options.ObserveItems?.Invoke(mapRun, read) ?? read;
                var batcher = new Batcher(settings.MaxItemsPerBatch, settings.MaxBytesPerBatch, settings.BatchInput);
                var index = 0;
                var batchIndex = 0;
                await using var enumerator = items.GetAsyncEnumerator(linked.Token);
                while (await enumerator.MoveNextAsync())
                {
                    var item = enumerator.Current;
                    var selected = map.ItemSelector is null ? item : map.ItemSelector.Evaluate(new EvaluationScope(effective, context.ForMapItem(index, item), options.Random));
                    index++;
                    Interlocked.Increment(ref totalItems);
                    mapRun.ItemsRead(1);
                    if (!batcher.Enabled)
                    {
                        await channel.Writer.WriteAsync(new Batch(batchIndex++, selected, 1), linked.Token);
                        continue;
                    }

                    for (var full = batcher.Add(selected); full is not null; full = batcher.TakeIfFull())
                    {
                        var batch = new Batch(batchIndex++, batcher.Envelope(full), full.Count);
                        await channel.Writer.WriteAsync(batch, linked.Token);
                    }
                }

                if (batcher.Flush() is { } last)
                {
                    await channel.Writer.WriteAsync(new Batch(batchIndex, batcher.Envelope(last), last.Count), linked.Token);
                }
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        }

        async Task WorkAsync()
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(linked.Token))
            {
                // ReadAllAsync hands out what is buffered without looking at the token: a stopped or failed run
                // must not start another child.
                linked.Token.ThrowIfCancellationRequested();
                if (memory.Succeeded.TryGetValue(batch.Index, out var earlier))
                {
                    // Redrive: this batch already succeeded; only its output is reused.
                    mapRun.ChildStarted(batch.ItemCount);
                    mapRun.ChildEnded(batch.ItemCount, ExecutionStatus.Succeeded);
                    lock (outputs)
                    {
                        outputs[batch.Index] = earlier;
                    }

                    continue;
                }

                var record = await RunChildAsync(run, childMachine, map, mapRun, batch, linked.Token);
                var status = record.Result.Status;
                var category = status == ExecutionStatus.Succeeded ? "SUCCEEDED" : status == ExecutionStatus.Aborted ? "PENDING" : "FAILED";
                if (writer is not null)
                {
                    await writer.AddAsync(record, category, CancellationToken.None);
                    mapRun.ResultWritten(batch.ItemCount);
                }

                lock (outputs)
                {
                    var output = writer is null
                        ? record.Result.Output ?? new ErrorOutput(record.Result.Error ?? "", record.Result.Cause).ToJson()
                        : null;
                    outputs[batch.Index] = output;
                    if (status == ExecutionStatus.Succeeded)
                    {
                        memory.Succeeded[batch.Index] = output;
                    }
                    else
                    {
                        failedItems += batch.ItemCount;
                    }
                }

                options.OnMapRunProgress?.Invoke(mapRun);
                if (status != ExecutionStatus.Succeeded && settings.FailsEarly && Exceeded(settings, Interlocked.Read(ref failedItems), long.MaxValue))
                {
                    // A count threshold is known to be exceeded now: start no more children.
                    Fail(ToleranceExceeded());
                }
            }
        }
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

    private static async IAsyncEnumerable<JValue> FromArray(JArray array)
    {
        await Task.CompletedTask;
        foreach (var item in array)
        {
            yield return item;
        }
    }

    private static async Task<ChildRecord> RunChildAsync(ExecutionRun parent, StateMachine childMachine, State.Map map, MapRun mapRun, Batch batch, CancellationToken ct)
    {
        var child = parent.Engine.CreateChild(childMachine, mapRun, batch.Input);
        mapRun.ChildStarted(batch.ItemCount);
        var childRun = new ExecutionRun(parent.Engine, child, parent.Mocks,
            map.ExecutionType == ChildExecutionType.Express ? HistoryMode.None : HistoryMode.Full, redriveCount: 0);
        child.Start(childRun, () => childRun.RunAsync());
        ExecutionResult result;
        using (ct.Register(() => child.Stop("States.Aborted", "The map run stopped.")))
        {
            result = await child.Completion;
        }

        mapRun.ChildEnded(batch.ItemCount, result.Status);
        return new ChildRecord(batch.Index, batch.ItemCount, child.Name, child.Arn, child.StateMachineArn, batch.Input, result, child.StartDate, child.StopDate ?? child.StartDate);
    }

    private static ResultFiles? OpenWriter(State.Map map, EvaluationScope scope, StatesEngineOptions options, MapRun mapRun, MapRunMemory memory)
    {
        if (map.ResultWriter is not { Exports: true } config)
        {
            return null;
        }

        var storage = options.Storage ?? throw new StatesException(StatesErrors.ResultWriterFailed, "No object storage is configured (StatesEngineOptions.Storage).");
        var (bucket, prefix) = Settings.WriterTarget(map, scope);
        var folder = prefix.Length == 0 ? mapRun.Id : $"{prefix}/{mapRun.Id}";
        var files = new ResultFiles(storage, bucket, folder, mapRun.Arn, options.ResultFilePartBytes, config.Transformation, config.OutputType);
        files.Carry(memory.SucceededFiles, memory.NextSucceededFileIndex);
        return files;
    }

    private static bool Exceeded(Settings settings, long failed, long total)
    {
        if (failed == 0)
        {
            return false;
        }

        if (settings.ToleratedCount is { } count && failed > count)
        {
            return true;
        }

        if (settings.ToleratedPercentage is { } percentage && total != long.MaxValue && total > 0 && failed * 100.0 / total > percentage)
        {
            return true;
        }

        return false;
    }

    /// <summary>AWS's words for a map run that failed more items than it tolerates.</summary>
    private static StatesException ToleranceExceeded() =>
        new(StatesErrors.ExceedToleratedFailureThreshold, "The specified tolerated failure threshold was exceeded");

    private static JValue Output(State state, JValue output, ContextSource context) => DataFlow.Select(state.OutputPath, output, context);

    /// <summary>The Map's numbers, with every …Path resolved against its effective input.</summary>
    private sealed record Settings(
        int Concurrency,
        int? MaxItems,
        int? MaxItemsPerBatch,
        int? MaxBytesPerBatch,
        JValue? BatchInput,
        double? ToleratedPercentage,
        long? ToleratedCount,
        string? WriterBucket)
    {
        /// <summary>Without a percentage, a count threshold (or the default of none tolerated) can stop the run early.</summary>
        public bool FailsEarly => ToleratedPercentage is null;

        public static Settings Resolve(State.Map map, JValue effective, StatesEngineOptions options)
        {
            var concurrency = map.MaxConcurrencyPath is null ? map.MaxConcurrency ?? 0 : PathNumbers.MaxConcurrency(map.MaxConcurrencyPath, effective);
            if (map.ItemReader is not null)
            {
                // Read as LocalStack's AWS-validated interpreter reads it: evaluated, must exist, then unused.
                _ = DataFlow.Select(map.ItemsPath, effective);
            }

            concurrency = concurrency == 0 ? options.MaxChildConcurrency : Math.Min(concurrency, options.MaxChildConcurrency);
            int? maxItems = map.ItemReader?.MaxItemsPath is { } maxItemsPath ? PathNumbers.MaxItems(maxItemsPath, effective) : map.ItemReader?.MaxItems;
            maxItems = maxItems == 0 ? null : maxItems;
            var batcher = map.ItemBatcher;
            int? perBatch = batcher?.MaxItemsPerBatchPath is { } ip ? Integer(map, ip, effective, "MaxItemsPerBatchPath", 1) : batcher?.MaxItemsPerBatch;
            int? bytes = batcher?.MaxInputBytesPerBatchPath is { } bp ? Integer(map, bp, effective, "MaxInputBytesPerBatchPath", 1) : batcher?.MaxInputBytesPerBatch;
            var batchInput = batcher?.BatchInput?.Evaluate(new EvaluationScope(effective, null, options.Random));
            var tolerance = map.Tolerance;
            double? percentage = tolerance.PercentagePath is { } pp ? PathNumbers.ToleratedFailurePercentage(pp, effective) : tolerance.Percentage;
            long? count = tolerance.CountPath is { } cp ? PathNumbers.ToleratedFailureCount(cp, effective) : tolerance.Count;
            if (percentage is null && count is null)
            {
                // Nothing tolerated by default: one failed item fails the run.
                count = 0;
            }

            string? bucket = null;
            if (map.ResultWriter is { Exports: true })
            {
                bucket = WriterTarget(map, new EvaluationScope(effective, null, options.Random)).Bucket;
            }

            return new Settings(Math.Max(1, concurrency), maxItems, perBatch, bytes, batchInput, percentage, count, bucket);
        }

        public static (string Bucket, string Prefix) WriterTarget(State.Map map, EvaluationScope scope)
        {
            var parameters = map.ResultWriter!.Parameters!.Evaluate(scope) as JObject;
            var bucket = (parameters?.Get("Bucket") as JString)?.Value
                ?? throw new StatesException(StatesErrors.ResultWriterFailed, $"The ResultWriter of '{map.Name}' needs a Bucket string.");
            var prefix = (parameters?.Get("Prefix") as JString)?.Value ?? "";
            return (bucket, prefix.TrimEnd('/'));
        }

        private static int Integer(State.Map map, Paths.JsonPath path, JValue effective, string field, int min)
        {
            var value = DataFlow.Select(path, effective);
            return value is JNumber n && n.TryGetInt32(out var i) && i >= min
                ? i
                : throw StatesException.Runtime($"The {field} '{path.Text}' of the state '{map.Name}' must point to an integer ≥ {min}, got {value.ToJsonString()}.");
        }
    }
}
