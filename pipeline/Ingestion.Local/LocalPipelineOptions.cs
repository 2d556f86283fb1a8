using Ingestion.Domain.Storage;
using Ingestion.Local.Definitions;
using Ingestion.States;
using Ingestion.States.History;
using Ingestion.States.Integrations;
using Ingestion.States.Templates;
using Ingestion.Storage.Local.Outbox;

namespace Ingestion.Local;

/// <summary>How a <see cref="LocalPipeline"/> is put together: its data folder and adapters, clock, limits, and test hooks.</summary>
public sealed record LocalPipelineOptions
{
    /// <summary>The data folder, the storage the functions are composed with, and the functions' own settings.</summary>
    public required LocalSettings Settings { get; init; }

    /// <summary>The clock of the interpreter (Wait, Retry, timeouts) and of the handlers (ledger and store times).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Randomness for retry jitter and <c>States.MathRandom</c>.</summary>
    public IRandomSource Random { get; init; } = RandomSource.Shared;

    /// <summary>
    /// Child executions a Distributed Map runs at once (the definitions ask for 50). Validation runs in parallel but
    /// SQLite takes one writer at a time, so a few per core keep both busy without queueing on the write lock.
    /// </summary>
    public int MaxChildConcurrency { get; init; } = DefaultMaxChildConcurrency;

    /// <summary>Two per core, between 4 and 16.</summary>
    public static int DefaultMaxChildConcurrency => Math.Clamp(Environment.ProcessorCount * 2, 4, 16);

    /// <summary>ResultWriter parts are cut at this size, which bounds the memory a map run's results take while they stream out.</summary>
    public int ResultFilePartBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Region and account of the local ARNs.</summary>
    public LocalResources Resources { get; init; } = new();

    /// <summary>Whether top-level executions record their event history (off: nobody reads it in normal runs).</summary>
    public HistoryMode History { get; init; } = HistoryMode.None;

    /// <summary>Called when a map run starts, after each batch and when it ends.</summary>
    public Action<MapRun>? OnMapRunProgress { get; init; }

    /// <summary>Profiling hook (<c>ingest bench --profile</c>): wraps the items each Distributed Map reads (<see cref="StatesEngineOptions.ObserveItems"/>).</summary>
    public Func<MapRun, IAsyncEnumerable<Ingestion.States.Json.JValue>, IAsyncEnumerable<Ingestion.States.Json.JValue>>? ObserveItems { get; init; }

    /// <summary>Test hook: wraps the adapters (object store, student store, ledger, outbox), e.g. to inject faults.</summary>
    public Func<LocalAdapters, LocalAdapters>? Adapters { get; init; }

    /// <summary>Test hook: given a function's name and entry point, returns what to invoke instead.</summary>
    public Func<string, StreamFunction, StreamFunction>? Functions { get; init; }

    /// <summary>Profiling hook: given an SNS integration's resource and handler, returns what to run instead.</summary>
    public Func<string, TaskHandler, TaskHandler>? Integrations { get; init; }

    /// <summary>A pipeline over <paramref name="dataDirectory"/> with default settings, ignoring the environment: for tests and benchmarks.</summary>
    public static LocalPipelineOptions ForDataDirectory(string dataDirectory) =>
        new() { Settings = new LocalSettings { DataDir = new LocalDataFolder(dataDirectory).Root } };

    /// <summary>
    /// What the <c>ingest</c> command uses: settings from the environment (handlers/README.md), the data folder from
    /// <paramref name="dataDirectoryOption"/>, else <c>INGEST_DATA_DIR</c>, else <c>./.ingest</c>.
    /// </summary>
    public static LocalPipelineOptions FromEnvironment(string? dataDirectoryOption, Func<string, string?>? getVariable = null) =>
        new()
        {
            Settings = LocalSettings.FromEnvironment(getVariable) with { DataDir = LocalDataFolder.Resolve(dataDirectoryOption, getVariable).Root },
        };
}

/// <summary>The adapters a pipeline runs on.</summary>
public sealed record LocalAdapters(IObjectStore Objects, IStudentStore Students, IFileLedger Ledger, IOutbox Outbox);
