using System.Text.Json;
using System.Text.RegularExpressions;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Local;
using Ingestion.Local.Definitions;
using Ingestion.Tools.Synthetic;

namespace Ingestion.Tools.Cost;

/// <summary>What the IngestFile definition makes one run do, read from the definition itself.</summary>
/// <param name="BatchSize">The Distributed Map's ItemBatcher MaxItemsPerBatch: students per child execution.</param>
/// <param name="ExpressChildren">Whether the map's children are EXPRESS workflows (else STANDARD).</param>
/// <param name="MaxConcurrency">Child executions the map runs at once: at most this many cold starts per child function.</param>
/// <param name="ParentStates">The states a successful run of the parent passes through, the Map included.</param>
/// <param name="ParentLambdaInvokes">Lambda invocations on that path (RegisterFile, SummarizeRun).</param>
/// <param name="ParentPublishes">SNS Publish calls on that path (the admins' summary).</param>
/// <param name="ItemReaderGets">S3 GetObject calls the ItemReader makes (one per file).</param>
/// <param name="ResultWriterPuts">S3 PutObject calls the ResultWriter makes: the manifest and one SUCCEEDED file (it splits at 5 GB).</param>
/// <param name="ChildStates">The states a successful child execution passes through.</param>
/// <param name="ChildLambdaInvokes">Lambda invocations per child execution (ValidateStudents, StoreStudents).</param>
/// <param name="PublishBatchSize">Notifications per SNS PublishBatch call: the definition's <c>States.ArrayPartition</c> size.</param>
/// <param name="PublishConcurrency">PublishBatch calls in flight at once (the inner Map's MaxConcurrency).</param>
public sealed partial record DeployedShape(
    int BatchSize,
    bool ExpressChildren,
    int MaxConcurrency,
    int ParentStates,
    int ParentLambdaInvokes,
    int ParentPublishes,
    int ItemReaderGets,
    int ResultWriterPuts,
    int ChildStates,
    int ChildLambdaInvokes,
    int PublishBatchSize,
    int PublishConcurrency)
{
    private const string LambdaInvoke = Ingestion.States.Integrations.LambdaFunctions.InvokeResource;
    private const string SnsPublish = Ingestion.Local.Integrations.SnsIntegration.PublishResource;
    private const string SnsPublishBatch = Ingestion.Local.Integrations.SnsIntegration.SdkPrefix + "publishBatch";

    /// <summary>The Map state each format goes through.</summary>
    public static string MapStateOf(ExportFormat format) => format switch
    {
        ExportFormat.JsonLines => "ProcessStudentsJsonLines",
        ExportFormat.Csv => "ProcessStudentsCsv",
        _ => "ProcessStudentsJson",
    };

    /// <summary>Reads the embedded <c>ingest-file.asl.json</c>.</summary>
    public static DeployedShape FromDefinition(ExportFormat format = ExportFormat.Json) =>
        FromDefinition(DefinitionFiles.ReadRaw(DefinitionFiles.IngestFile), format);

    /// <summary>Reads an IngestFile definition given as text.</summary>
    /// <exception cref="InvalidDataException">The definition has no Distributed Map for the format, or no batcher.</exception>
    public static DeployedShape FromDefinition(string definition, ExportFormat format = ExportFormat.Json)
    {
        using var document = JsonDocument.Parse(definition);
        var root = document.RootElement;
        var mapName = MapStateOf(format);

        var parent = SuccessPath(root, mapName);
        var map = parent.FirstOrDefault(s => s.Name == mapName).State;
        if (map.ValueKind != JsonValueKind.Object || !map.TryGetProperty("ItemProcessor", out var processor))
        {
            throw new InvalidDataException($"A successful run never reaches the Distributed Map '{mapName}'.");
        }

        var batchSize = map.TryGetProperty("ItemBatcher", out var batcher) && batcher.TryGetProperty("MaxItemsPerBatch", out var max)
            ? max.GetInt32()
            : throw new InvalidDataException($"'{mapName}' has no ItemBatcher.MaxItemsPerBatch: the estimate assumes batches.");
        var express = processor.TryGetProperty("ProcessorConfig", out var config)
            && config.TryGetProperty("ExecutionType", out var type) && type.GetString() == "EXPRESS";

        var child = SuccessPath(processor, mapName);
        var notify = child.FirstOrDefault(s => s.Type == "Map" && InnerResources(s.State).Contains(SnsPublishBatch)).State;

        return new DeployedShape(
            BatchSize: batchSize,
            ExpressChildren: express,
            MaxConcurrency: IntOr(map, "MaxConcurrency", 0),
            ParentStates: parent.Count,
            ParentLambdaInvokes: parent.Count(s => s.Resource == LambdaInvoke),
            ParentPublishes: parent.Count(s => s.Resource == SnsPublish),
            ItemReaderGets: map.TryGetProperty("ItemReader", out _) ? 1 : 0,
            ResultWriterPuts: map.TryGetProperty("ResultWriter", out _) ? 2 : 0,
            ChildStates: child.Count,
            ChildLambdaInvokes: child.Count(s => s.Resource == LambdaInvoke),
            PublishBatchSize: notify.ValueKind == JsonValueKind.Object ? PartitionSize(processor) : 0,
            PublishConcurrency: notify.ValueKind == JsonValueKind.Object ? IntOr(notify, "MaxConcurrency", 0) : 0);
    }

    /// <summary>Child executions for a file of <paramref name="students"/>.</summary>
    public long BatchesFor(long students) => (students + BatchSize - 1) / BatchSize;

    /// <summary>
    /// The states a successful run passes through, each once, from StartAt: a Choice takes the rule leading to
    /// <paramref name="mapState"/>, else the one testing for REGISTERED or SUCCEEDED, else its Default.
    /// </summary>
    private static List<(string Name, string? Type, string? Resource, JsonElement State)> SuccessPath(JsonElement machine, string mapState)
    {
        var states = machine.GetProperty("States");
        var path = new List<(string, string?, string?, JsonElement)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var name = machine.GetProperty("StartAt").GetString();
        while (name is not null && seen.Add(name) && states.TryGetProperty(name, out var state))
        {
            var kind = state.GetProperty("Type").GetString();
            path.Add((name, kind, state.TryGetProperty("Resource", out var resource) ? resource.GetString() : null, state));
            name = kind == "Choice"
                ? NextOfChoice(state, mapState)
                : state.TryGetProperty("Next", out var next) ? next.GetString() : null;
        }

        return path;
    }

    private static string? NextOfChoice(JsonElement choice, string mapState)
    {
        foreach (var rule in choice.GetProperty("Choices").EnumerateArray())
        {
            var next = rule.GetProperty("Next").GetString();
            var expected = rule.TryGetProperty("StringEquals", out var value) ? value.GetString() : null;
            if (next == mapState || expected is "REGISTERED" or "SUCCEEDED")
            {
                return next;
            }
        }

        return choice.TryGetProperty("Default", out var fallback) ? fallback.GetString() : null;
    }

    private static HashSet<string> InnerResources(JsonElement map)
    {
        var resources = new HashSet<string>(StringComparer.Ordinal);
        if (map.TryGetProperty("ItemProcessor", out var processor) && processor.TryGetProperty("States", out var states))
        {
            foreach (var state in states.EnumerateObject())
            {
                if (state.Value.TryGetProperty("Resource", out var resource) && resource.GetString() is { } arn)
                {
                    resources.Add(arn);
                }
            }
        }

        return resources;
    }

    /// <summary>The size in the child's <c>States.ArrayPartition(…, n)</c>: how notifications are cut into PublishBatch calls.</summary>
    private static int PartitionSize(JsonElement processor)
    {
        var match = ArrayPartition().Match(processor.GetRawText());
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : Ingestion.Local.Integrations.SnsIntegration.MaxBatchEntries; // SNS's own limit, when the definition names no size
    }

    private static int IntOr(JsonElement state, string name, int fallback) =>
        state.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) ? number : fallback;

    [GeneratedRegex(@"States\.ArrayPartition\([^,]+,\s*(\d+)\)")]
    private static partial Regex ArrayPartition();
}
