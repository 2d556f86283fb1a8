using Ingestion.States.Json;
using Ingestion.States.Mocking;
using Ingestion.States.Storage;
using Ingestion.States.Templates;

namespace Ingestion.States;

/// <summary>How an engine runs executions: clock, randomness, limits, identity, mocks, storage.</summary>
public sealed class StatesEngineOptions
{
    /// <summary>AWS's limit on a state's input, output and a task's result: 256 KiB.</summary>
    public const int AwsPayloadLimitBytes = 262_144;

    /// <summary>The clock for Wait, Retry and timeouts; <see cref="VirtualTimeProvider"/> makes tests instant.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Randomness for retry jitter and States.MathRandom.</summary>
    public IRandomSource Random { get; init; } = RandomSource.Shared;

    /// <summary>The payload limit that raises States.DataLimitExceeded.</summary>
    public int PayloadLimitBytes { get; init; } = AwsPayloadLimitBytes;

    /// <summary>The region in the ARNs the engine makes up.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The account in the ARNs the engine makes up (AWS's documentation account by default).</summary>
    public string AccountId { get; init; } = "123456789012";

    /// <summary>Mocked Task responses in Step Functions Local's format, chosen per execution by test case.</summary>
    public MockConfig? Mocks { get; init; }

    /// <summary>The object store behind Distributed Map's ItemReader and ResultWriter (S3 on AWS).</summary>
    public IObjectStorage? Storage { get; init; }

    /// <summary>
    /// The most child executions a Distributed Map runs at once when MaxConcurrency is 0 (AWS: 10,000);
    /// a local machine gains nothing past a few per core.
    /// </summary>
    public int MaxChildConcurrency { get; init; } = Math.Max(4, Environment.ProcessorCount * 4);

    /// <summary>Called when a map run starts, after each child execution ends, and when it ends: drive progress bars from it.</summary>
    public Action<MapRun>? OnMapRunProgress { get; init; }

    /// <summary>
    /// Called when a Distributed Map's child execution ends, with the number of items it carried and its result: what
    /// a run stopped part-way has done so far, when its ResultWriter never completes.
    /// </summary>
    public Action<MapRun, int, ExecutionResult>? OnChildEnded { get; init; }

    /// <summary>
    /// ResultWriter starts a new SUCCEEDED_n/FAILED_n/PENDING_n file past this size. AWS splits at 5 GB;
    /// locally a smaller part keeps memory bounded while results stream out.
    /// </summary>
    public int ResultFilePartBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// Wraps the items each Distributed Map reads, before ItemSelector and ItemBatcher: where optional concerns such as
    /// a profiler attach from outside. Null (the default) leaves the items as read.
    /// </summary>
    public Func<MapRun, IAsyncEnumerable<JValue>, IAsyncEnumerable<JValue>>? ObserveItems { get; init; }
}
