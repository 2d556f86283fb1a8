using Ingestion.States.Json;

namespace Ingestion.States.DistributedMap;

/// <summary>One finished child execution of a map run: what ResultWriter and the Map's output need.</summary>
internal sealed record ChildRecord(
    int BatchIndex,
    int ItemCount,
    string Name,
    string Arn,
    string StateMachineArn,
    JValue Input,
    ExecutionResult Result,
    DateTimeOffset StartDate,
    DateTimeOffset StopDate);
