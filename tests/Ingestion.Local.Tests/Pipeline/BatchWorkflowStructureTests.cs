using System.Text.Json.Nodes;
using Ingestion.Local.Definitions;

namespace Ingestion.Local.Tests.Pipeline;

/// <summary>
/// The batch workflow is written once, in process-batch.asl.json. IngestFile has a Distributed Map per reader (AWS
/// fixes an ItemReader's InputType and CSVDelimiter per Map state) and one for retry rounds, and each of them only
/// starts ProcessBatch: the readers differ in their ItemReader alone.
/// </summary>
public sealed class BatchWorkflowStructureTests
{
    private const string StartSyncExecution = "arn:aws:states:::aws-sdk:sfn:startSyncExecution";

    private static readonly JsonObject IngestFile = Parse(DefinitionFiles.IngestFile);

    [Theory]
    [InlineData("${ValidateStudentsFunctionArn}")]
    [InlineData("${StoreStudentsFunctionArn}")]
    [InlineData("${StudentEventsTopicArn}")]
    public void The_batch_workflows_resources_are_named_in_process_batch_only(string placeholder)
    {
        Assert.Contains(placeholder, DefinitionFiles.ReadRaw(DefinitionFiles.ProcessBatch), StringComparison.Ordinal);
        Assert.DoesNotContain(placeholder, DefinitionFiles.ReadRaw(DefinitionFiles.IngestFile), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_distributed_map_of_ingest_file_runs_process_batch_and_nothing_else()
    {
        var maps = DistributedMaps().ToList();

        Assert.Equal(7, maps.Count);
        Assert.All(maps, map =>
        {
            var tasks = map.Value["ItemProcessor"]!["States"]!.AsObject().Where(s => s.Value!["Type"]!.GetValue<string>() == "Task").ToList();
            var task = Assert.Single(tasks).Value!;
            Assert.Equal(StartSyncExecution, task["Resource"]!.GetValue<string>());
            Assert.Equal("${ProcessBatchStateMachineArn}", task["Parameters"]!["StateMachineArn"]!.GetValue<string>());
        });
    }

    [Fact]
    public void The_reading_maps_differ_in_their_item_reader_alone()
    {
        var readers = DistributedMaps().Where(m => m.Key != "RetryFailedBatches").Select(m => Normalized(m.Value, m.Value["Label"]!.GetValue<string>())).ToList();

        Assert.Equal(6, readers.Count);
        Assert.All(readers, reader => Assert.True(JsonNode.DeepEquals(readers[0], reader), $"differs from the first reader: {reader.ToJsonString()}"));
    }

    [Fact]
    public void Each_reader_config_has_its_own_map()
    {
        var configs = DistributedMaps().Where(m => m.Key != "RetryFailedBatches")
            .Select(m => m.Value["ItemReader"]!["ReaderConfig"]!.ToJsonString()).ToList();

        Assert.Equal(configs.Count, configs.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["COMMA", "PIPE", "SEMICOLON", "TAB"], DistributedMaps()
            .Select(m => m.Value["ItemReader"]!["ReaderConfig"]!["CSVDelimiter"]?.GetValue<string>()).OfType<string>().Order(StringComparer.Ordinal));
    }

    private static IEnumerable<KeyValuePair<string, JsonObject>> DistributedMaps() =>
        IngestFile["States"]!.AsObject()
            .Where(s => s.Value!["ItemProcessor"]?["ProcessorConfig"]?["Mode"]?.GetValue<string>() == "DISTRIBUTED")
            .Select(s => KeyValuePair.Create(s.Key, s.Value!.AsObject()));

    /// <summary>The map without what must differ (its reader, label, comment) and with its state names' label suffix taken out.</summary>
    private static JsonObject Normalized(JsonObject map, string label)
    {
        var copy = JsonNode.Parse(map.ToJsonString().Replace($" [{label}]", "", StringComparison.Ordinal))!.AsObject();
        copy.Remove("ItemReader");
        copy.Remove("Label");
        copy.Remove("Comment");
        return copy;
    }

    private static JsonObject Parse(string name) => JsonNode.Parse(DefinitionFiles.ReadRaw(name))!.AsObject();
}
