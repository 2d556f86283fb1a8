using Ingestion.States.Json;

namespace Ingestion.States.DistributedMap;

/// <summary>
/// What a map run remembers for redrive: which batches succeeded (their outputs, or the result
/// files that hold them), so a redriven run starts children only for the rest.
/// </summary>
internal sealed class MapRunMemory(MapRun run)
{
    public MapRun Run { get; } = run;

    public Dictionary<int, JValue?> Succeeded { get; } = [];

    public List<(string Key, long Size)> SucceededFiles { get; } = [];

    public int NextSucceededFileIndex { get; set; }
}
