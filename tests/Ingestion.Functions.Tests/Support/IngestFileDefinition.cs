using System.Text.Json;

namespace Ingestion.Functions.Tests.Support;

/// <summary>Figures the handlers must fit, read from the IngestFile definition the pipeline runs.</summary>
internal static class IngestFileDefinition
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "definitions", "ingest-file.asl.json"))).RootElement);

    /// <summary>The ItemBatcher's MaxItemsPerBatch, the same for every format's Map (checked here).</summary>
    public static int MaxItemsPerBatch
    {
        get
        {
            var sizes = Root.Value.GetProperty("States").EnumerateObject()
                .Where(s => s.Value.TryGetProperty("ItemBatcher", out _))
                .Select(s => s.Value.GetProperty("ItemBatcher").GetProperty(nameof(MaxItemsPerBatch)).GetInt32())
                .Distinct()
                .ToList();
            return Assert.Single(sizes);
        }
    }
}
