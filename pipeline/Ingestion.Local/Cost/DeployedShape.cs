using System.Text.Json;
using Ingestion.Local.Definitions;
using Ingestion.Local.Synthetic;

namespace Ingestion.Local.Cost;

/// <summary>The numbers of the IngestFile definition that decide what a run does and costs, read from the definition itself.</summary>
/// <param name="BatchSize">The Distributed Map's ItemBatcher MaxItemsPerBatch: students per EXPRESS child.</param>
/// <param name="ExpressChildren">Whether the map's children are EXPRESS workflows (else STANDARD).</param>
/// <param name="ParentStates">The states a successful run of the parent passes through, the Map included.</param>
/// <param name="PublishBatchSize">Entries per SNS PublishBatch call: SNS's limit, what the definition partitions notifications into.</param>
public sealed record DeployedShape(int BatchSize, bool ExpressChildren, int ParentStates, int PublishBatchSize)
{
    /// <summary>The Map state each format goes through.</summary>
    public static string MapStateOf(ExportFormat format) => format switch
    {
        ExportFormat.JsonLines => "ProcessStudentsJsonLines",
        ExportFormat.Csv => "ProcessStudentsCsv",
        _ => "ProcessStudentsJson",
    };

    /// <summary>Reads the embedded <c>ingest-file.asl.json</c>.</summary>
    public static DeployedShape FromDefinition(ExportFormat format = ExportFormat.Json)
    {
        using var document = JsonDocument.Parse(DefinitionFiles.ReadRaw(DefinitionFiles.IngestFile));
        var states = document.RootElement.GetProperty("States");
        var map = states.GetProperty(MapStateOf(format));
        var batchSize = map.GetProperty("ItemBatcher").GetProperty("MaxItemsPerBatch").GetInt32();
        var express = map.GetProperty("ItemProcessor").GetProperty("ProcessorConfig").TryGetProperty("ExecutionType", out var type)
            && type.GetString() == "EXPRESS";

        // The path of a successful run: start at StartAt, follow Choice rules that lead to this format's map and the
        // REGISTERED/SUCCEEDED branches, count each state once.
        var parentStates = 0;
        var name = document.RootElement.GetProperty("StartAt").GetString();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (name is not null && seen.Add(name))
        {
            parentStates++;
            var state = states.GetProperty(name);
            name = state.GetProperty("Type").GetString() switch
            {
                "Choice" => NextOfChoice(state, MapStateOf(format)),
                _ => state.TryGetProperty("Next", out var next) ? next.GetString() : null,
            };
        }

        return new DeployedShape(batchSize, express, parentStates, 10);
    }

    /// <summary>The branch a successful run takes: the one naming this format's map, else the one for REGISTERED or SUCCEEDED.</summary>
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
}
