using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Runtime;
using Ingestion.States.Templates;

namespace Ingestion.States.DistributedMap;

/// <summary>The Map's numbers, with every …Path resolved against its effective input.</summary>
internal sealed record MapRunSettings(
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

    public static MapRunSettings Resolve(State.Map map, JValue effective, StatesEngineOptions options, StateContext context)
    {
        var concurrency = ExecutionRun.MaxConcurrencyOf(map, effective, context, options.Random);
        if (map.ItemReader is not null)
        {
            // Read as LocalStack's AWS-validated interpreter reads it: evaluated, must exist, then unused.
            _ = DataFlow.Select(map.ItemsPath, effective, context);
        }

        var scope = new EvaluationScope(effective, context, options.Random);
        concurrency = concurrency == 0 ? options.MaxChildConcurrency : Math.Min(concurrency, options.MaxChildConcurrency);
        int? maxItems = map.ItemReader switch
        {
            { MaxItemsExpression: { } expression } => (int)Math.Min(JsonataNumbers.Integer(expression, "ItemReader/ReaderConfig/MaxItems", scope, 0), PathNumbers.MaxItemsLimit),
            { MaxItemsPath: { } maxItemsPath } => PathNumbers.MaxItems(maxItemsPath, effective, context),
            var reader => reader?.MaxItems,
        };
        maxItems = maxItems == 0 ? null : maxItems;
        var batcher = map.ItemBatcher;
        int? perBatch = batcher switch
        {
            { MaxItemsPerBatchExpression: { } expression } => (int)JsonataNumbers.Integer(expression, "ItemBatcher/MaxItemsPerBatch", scope, 1, int.MaxValue),
            { MaxItemsPerBatchPath: { } ip } => Integer(map, ip, effective, "MaxItemsPerBatchPath", 1),
            _ => batcher?.MaxItemsPerBatch,
        };
        int? bytes = batcher switch
        {
            { MaxInputBytesPerBatchExpression: { } expression } => (int)JsonataNumbers.Integer(expression, "ItemBatcher/MaxInputBytesPerBatch", scope, 1, 262_144),
            { MaxInputBytesPerBatchPath: { } bp } => Integer(map, bp, effective, "MaxInputBytesPerBatchPath", 1),
            _ => batcher?.MaxInputBytesPerBatch,
        };
        var batchInput = batcher?.BatchInput?.Evaluate(scope);
        var tolerance = map.Tolerance;
        double? percentage = tolerance switch
        {
            { PercentageExpression: { } expression } => JsonataNumbers.Number(expression, "ToleratedFailurePercentage", scope, 0, 100),
            { PercentagePath: { } pp } => PathNumbers.ToleratedFailurePercentage(pp, effective, context),
            _ => tolerance.Percentage,
        };
        long? count = tolerance switch
        {
            { CountExpression: { } expression } => JsonataNumbers.Integer(expression, "ToleratedFailureCount", scope, 0),
            { CountPath: { } cp } => PathNumbers.ToleratedFailureCount(cp, effective, context),
            _ => tolerance.Count,
        };
        if (percentage is null && count is null)
        {
            // Nothing tolerated by default: one failed item fails the run.
            count = 0;
        }

        string? bucket = null;
        if (map.ResultWriter is { Exports: true })
        {
            bucket = WriterTarget(map, scope).Bucket;
        }

        return new MapRunSettings(Math.Max(1, concurrency), maxItems, perBatch, bytes, batchInput, percentage, count, bucket);
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

    /// <summary>Whether <paramref name="failed"/> items out of <paramref name="total"/> exceed what the Map tolerates.</summary>
    public bool Exceeded(long failed, long total)
    {
        if (failed == 0)
        {
            return false;
        }

        if (ToleratedCount is { } count && failed > count)
        {
            return true;
        }

        if (ToleratedPercentage is { } percentage && total != long.MaxValue && total > 0 && failed * 100.0 / total > percentage)
        {
            return true;
        }

        return false;
    }

    /// <summary>AWS's words for a map run that failed more items than it tolerates.</summary>
    public static StatesException ToleranceExceeded() =>
        new(StatesErrors.ExceedToleratedFailureThreshold, "The specified tolerated failure threshold was exceeded");
}
