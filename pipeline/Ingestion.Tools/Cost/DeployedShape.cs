using Ingestion.Local.Definitions;
using Ingestion.States;
using Ingestion.States.Intrinsics;
using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Templates;
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
/// <param name="ParentObjectGets">S3 GetObject calls of the parent's own tasks on that path (FindFailedBatches reads the
/// map run's manifest).</param>
/// <param name="ExecutionsPerBatch">Child executions a batch costs: the map's child, and the ProcessBatch execution it
/// starts with StartSyncExecution when the batch workflow is a state machine of its own (it waits for it, so both last
/// about as long).</param>
public sealed record DeployedShape(
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
    int PublishConcurrency,
    int ExecutionsPerBatch = 1,
    int ParentObjectGets = 0)
{
    private const string StartSyncExecution = "arn:aws:states:::aws-sdk:sfn:startSyncExecution";
    private const string S3GetObject = "arn:aws:states:::aws-sdk:s3:getObject";
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

    /// <summary>Reads the embedded <c>ingest-file.asl.json</c> (and <c>process-batch.asl.json</c>, which its maps start).</summary>
    public static DeployedShape FromDefinition(ExportFormat format = ExportFormat.Json) =>
        FromDefinition(DefinitionFiles.ReadRaw(DefinitionFiles.IngestFile), format);

    /// <summary>Reads an IngestFile definition given as text, through the interpreter's parser and model.</summary>
    /// <param name="processBatch">The ProcessBatch definition its maps' children start; the embedded one when null.</param>
    /// <exception cref="InvalidDataException">The definition has no Distributed Map for the format, or no batcher.</exception>
    public static DeployedShape FromDefinition(string definition, ExportFormat format = ExportFormat.Json, string? processBatch = null)
    {
        var mapName = MapStateOf(format);
        var parent = SuccessPath(StateMachine.Load("IngestFile", definition).Definition.Graph, mapName);
        if (parent.FirstOrDefault(s => s.Name == mapName) is not State.Map map)
        {
            throw new InvalidDataException($"A successful run never reaches the Distributed Map '{mapName}'.");
        }

        var batchSize = map.ItemBatcher?.MaxItemsPerBatch
            ?? throw new InvalidDataException($"'{mapName}' has no ItemBatcher.MaxItemsPerBatch: the estimate assumes batches.");
        var child = SuccessPath(map.ItemProcessor, mapName);
        var nested = child.OfType<State.Task>().Any(task => task.Resource == StartSyncExecution);
        if (nested)
        {
            // The child runs the batch workflow as ProcessBatch, to its end: its states are the batch's too.
            var batchWorkflow = StateMachine.Load("ProcessBatch", processBatch ?? DefinitionFiles.ReadRaw(DefinitionFiles.ProcessBatch)).Definition.Graph;
            child.AddRange(SuccessPath(batchWorkflow, mapName));
        }

        var notify = child.OfType<State.Map>()
            .FirstOrDefault(inner => inner.ItemProcessor.States.Values.OfType<State.Task>().Any(task => task.Resource == SnsPublishBatch));

        return new DeployedShape(
            BatchSize: batchSize,
            ExpressChildren: map.ExecutionType == ChildExecutionType.Express,
            MaxConcurrency: map.MaxConcurrency ?? 0,
            ParentStates: parent.Count,
            ParentLambdaInvokes: parent.OfType<State.Task>().Count(task => task.Resource == LambdaInvoke),
            ParentPublishes: parent.OfType<State.Task>().Count(task => task.Resource == SnsPublish),
            ItemReaderGets: map.ItemReader is null ? 0 : 1,
            ResultWriterPuts: map.ResultWriter is null ? 0 : 2,
            ChildStates: child.Count,
            ChildLambdaInvokes: child.OfType<State.Task>().Count(task => task.Resource == LambdaInvoke),
            PublishBatchSize: notify is null ? 0 : PartitionSize(child),
            PublishConcurrency: notify?.MaxConcurrency ?? 0,
            ExecutionsPerBatch: nested ? 2 : 1,
            ParentObjectGets: parent.OfType<State.Task>().Count(task => task.Resource == S3GetObject));
    }

    /// <summary>Child executions for a file of <paramref name="students"/>.</summary>
    public long BatchesFor(long students) => (students + BatchSize - 1) / BatchSize;

    /// <summary>
    /// The states a successful run passes through, each once, from StartAt: a Choice takes the rule leading to
    /// <paramref name="mapState"/>, else the one testing for REGISTERED or SUCCEEDED, else its Default.
    /// </summary>
    private static List<State> SuccessPath(StateGraph graph, string mapState)
    {
        var path = new List<State>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var name = graph.StartAt;
        while (name is not null && seen.Add(name) && graph.States.TryGetValue(name, out var state))
        {
            path.Add(state);
            name = state is State.Choice choice ? NextOfChoice(choice, mapState) : state.Next;
        }

        return path;
    }

    private static string? NextOfChoice(State.Choice choice, string mapState) =>
        choice.Choices.FirstOrDefault(branch => branch.Next == mapState || branch.Rule is ChoiceRule.Comparison
        {
            Operator: ChoiceOperator.StringEquals,
            Value: JString { Value: "REGISTERED" or "SUCCEEDED" },
        })?.Next ?? choice.Default;

    /// <summary>The size in the child's <c>States.ArrayPartition(…, n)</c>: how notifications are cut into PublishBatch calls.</summary>
    private static int PartitionSize(IEnumerable<State> child)
    {
        var partition = child.SelectMany(Templates).SelectMany(Calls)
            .FirstOrDefault(call => call.Name == "States.ArrayPartition" && call.Arguments is [_, IntrinsicArgument.Literal { Value: JNumber }]);
        return partition?.Arguments[1] is IntrinsicArgument.Literal { Value: JNumber size }
            ? (int)size.LongValue
            : Ingestion.Local.Integrations.SnsIntegration.MaxBatchEntries; // SNS's own limit, when the definition names no size
    }

    private static IEnumerable<PayloadTemplate> Templates(State state)
    {
        PayloadTemplate?[] templates = state switch
        {
            State.Task task => [task.Parameters, task.ResultSelector],
            State.Pass pass => [pass.Parameters],
            State.Map map => [map.ItemSelector, map.ResultSelector],
            State.Parallel parallel => [parallel.Parameters, parallel.ResultSelector],
            _ => [],
        };
        return templates.OfType<PayloadTemplate>();
    }

    private static IEnumerable<IntrinsicCall> Calls(PayloadTemplate template) => template switch
    {
        PayloadTemplate.IntrinsicField field => Calls(field.Call),
        PayloadTemplate.ObjectTemplate map => map.Values.SelectMany(Calls),
        PayloadTemplate.ArrayTemplate array => array.Items.SelectMany(Calls),
        _ => [],
    };

    private static IEnumerable<IntrinsicCall> Calls(IntrinsicCall call) =>
        call.Arguments.OfType<IntrinsicArgument.Call>().SelectMany(inner => Calls(inner.Value)).Prepend(call);
}
