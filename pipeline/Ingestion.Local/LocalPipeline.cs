using System.Collections.Concurrent;
using System.Text.Json;
using Ingestion.Domain.Storage;
using Ingestion.Functions;
using Ingestion.Functions.Telemetry;
using Ingestion.Local.Definitions;
using Ingestion.Local.Events;
using Ingestion.Local.Integrations;
using Ingestion.Local.States;
using Ingestion.States;
using Ingestion.States.Json;
using Ingestion.Storage.Local.Outbox;
using Ingestion.Storage.Local.Recovery;

namespace Ingestion.Local;

/// <summary>
/// The deployed system, in-process, over a data folder: the IngestFile and NightlySync definitions run by the
/// interpreter, the four handlers behind their Lambda ARNs, the folder bucket, SQLite for the students, the ledger
/// and the SNS outbox, log files for CloudWatch, and the EventBridge rule that starts IngestFile.
/// </summary>
/// <example>
/// <code>
/// await using var pipeline = LocalPipeline.Open(LocalPipelineOptions.ForDataDirectory("/tmp/data"));
/// var result = await pipeline.IngestFileAsync("testdata/students.json");   // put, Object Created, IngestFile
/// Console.WriteLine($"{result.Status}: {result.Counts.Created} created");
/// </code>
/// </example>
public sealed partial class LocalPipeline : IAsyncDisposable
{
    public const string Bucket = LocalResources.BucketName;
    public const string IncomingPrefix = "incoming/";

    /// <summary>How long a writer waits for a database's lock before progress says the database is locked.</summary>
    public static readonly TimeSpan LockWaitShown = TimeSpan.FromSeconds(1);

    private readonly List<object> _owned = [];
    private readonly ConcurrentDictionary<string, Execution> _active = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _settling = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StateMachine> _machines = new(StringComparer.Ordinal);
    private readonly LocalPipelineOptions _options;
    private readonly BatchTally _tally = new();

    /// <summary>Uploads of this process whose execution has not claimed itself yet, by object version (<see cref="StartFileAsync"/>).</summary>
    private readonly ConcurrentDictionary<(string Key, string Version), string> _uploads = new();

    private LocalPipeline(LocalPipelineOptions options)
    {
        _options = options;
        try
        {
            Data = new LocalDataFolder(options.Settings.DataDir);
            Resources = options.Resources;
            Directory.CreateDirectory(Data.Root);

            var logs = Own(new FileLineSink(Data.HandlersLog));
            var metrics = Own(new FileLineSink(Data.MetricsLog));
            MetricsSink = metrics;
            var settings = options.Settings;
            var real = new LocalAdapters(
                Own(settings.CreateObjectStore()),
                Own(settings.CreateStudentStore(Clock)),
                Own(settings.CreateFileLedger()),
                Own(SqliteOutbox.Open(Data.OutboxDatabase, movingFrom: Data.Database, Clock)));
            var adapters = options.Adapters?.Invoke(real) ?? real;
            Objects = adapters.Objects;
            Students = adapters.Students;
            Ledger = adapters.Ledger;
            Outbox = adapters.Outbox;
            Runs = Own(new LocalRunRegistry(Data.Database, Clock));
            Uploads = new PendingUploads(Data.Uploads);

            var telemetry = settings.Functions.Telemetry(logs, metrics);
            Functions = new HandlerFunctions(
                new RegisterFileFunction(Objects, Ledger, telemetry, Clock, settings.Functions.Limits),
                new ValidateStudentsFunction(telemetry, Clock),
                new StoreStudentsFunction(Students, telemetry, Clock),
                // Console links only where the bucket is a real S3 one with a known region: a folder has no console page.
                new SummarizeRunFunction(Objects, Ledger, telemetry, Clock, settings.Objects == "s3" && settings.Functions.S3Endpoint is null ? settings.Functions.AwsRegion : null));

            ReadTracking = new ReadTrackingStorage(new LocalObjectStorage(Objects));
            Engine = new StatesEngine(new StatesEngineOptions
            {
                Clock = Clock,
                Random = options.Random,
                Storage = ReadTracking,
                MaxChildConcurrency = options.MaxChildConcurrency,
                ResultFilePartBytes = options.ResultFilePartBytes,
                Region = Resources.Region,
                AccountId = Resources.AccountId,
                OnMapRunProgress = options.OnMapRunProgress,
                OnChildEnded = _tally.Add,
                ObserveItems = options.ObserveItems,
            });
            Functions.Register(Engine.Functions, Resources, (name, function) =>
            {
                var local = name == LocalResources.RegisterFile ? RecordingOwner(function) : function;
                return options.Functions?.Invoke(name, local) ?? local;
            });
            SnsIntegration.Register(Engine.Tasks, Outbox, new HashSet<string>(StringComparer.Ordinal) { Resources.StudentEventsTopicArn, Resources.AdminAlertsTopicArn }, options.Integrations);

            CloudWatchIntegration.Register(Engine.Tasks, metrics, Clock);

            ProcessBatch = Add(DefinitionFiles.Load(LocalResources.ProcessBatchName, DefinitionFiles.ProcessBatch, Resources));
            IngestFile = Add(DefinitionFiles.Load(LocalResources.IngestFileName, DefinitionFiles.IngestFile, Resources));
            NightlySync = Add(DefinitionFiles.Load(LocalResources.NightlySyncName, DefinitionFiles.NightlySync, Resources));
            StepFunctionsIntegration.Register(Engine, arn => _machines.GetValueOrDefault(arn), Track);
            S3Integration.Register(Engine.Tasks, Objects);

            Router = new EventRouter(Engine, Track);
            Router.Add(new EventRule("IngestOnObjectCreated", EventPattern.Parse(DefinitionFiles.Read(DefinitionFiles.IngestRule, Resources.Substitutions)), IngestFile));
        }
        catch
        {
            DisposeOwnedAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Opens (creating if needed) the data folder and wires everything.</summary>
    public static LocalPipeline Open(LocalPipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LocalPipeline(options);
    }

    public LocalDataFolder Data { get; }

    public LocalResources Resources { get; }

    /// <summary>The bucket files arrive in: <see cref="Bucket"/> unless an S3 run names another.</summary>
    public string BucketName => Resources.Bucket;

    public LocalSettings Settings => _options.Settings;

    public TimeProvider Clock => _options.Clock;

    public StatesEngine Engine { get; }

    public StateMachine IngestFile { get; }

    public StateMachine NightlySync { get; }

    /// <summary>The batch workflow every Distributed Map of IngestFile runs (StartSyncExecution).</summary>
    public StateMachine ProcessBatch { get; }

    /// <summary>The local EventBridge: <c>ingest-rule.json</c> → IngestFile.</summary>
    public EventRouter Router { get; }

    public HandlerFunctions Functions { get; }

    public IObjectStore Objects { get; }

    public IStudentStore Students { get; }

    public IFileLedger Ledger { get; }

    public IOutbox Outbox { get; }

    /// <summary>Which IngestFile executions this and other local processes run: what a crash leaves unfinished.</summary>
    public LocalRunRegistry Runs { get; }

    /// <summary>Uploads of <c>ingest run</c> whose execution has not recorded itself in <see cref="Runs"/> yet.</summary>
    public PendingUploads Uploads { get; }

    /// <summary>Where EMF documents go (the metrics log).</summary>
    public ILineSink MetricsSink { get; }

    internal ReadTrackingStorage ReadTracking { get; }

    /// <summary>
    /// A database of the data folder that a writer of this process has waited for longer than
    /// <see cref="LockWaitShown"/> (another process holds its write lock); null when none.
    /// </summary>
    /// <remarks>A writer takes the lock within milliseconds when it is free, so a second's wait is not a slow write.</remarks>
    public string? LockedDatabase() =>
        new[] { Settings.EffectiveSqlitePath, Data.Database, Data.OutboxDatabase }
            .FirstOrDefault(path => Ingestion.Storage.Local.Sqlite.SqliteLockWaits.Longest(path) >= LockWaitShown);

    /// <summary>Executions started by events or by other executions that have not ended yet.</summary>
    public IReadOnlyCollection<Execution> ActiveExecutions => [.. _active.Values];

    /// <summary>
    /// <c>ingest run FILE</c>: uploads the file to <c>incoming/&lt;name&gt;</c> (a new version), sends its Object Created
    /// event through the rule, and waits for the IngestFile execution it starts.
    /// </summary>
    /// <param name="abort">Stops the execution (it ends ABORTED).</param>
    public async Task<FileRunResult> IngestFileAsync(string path, CancellationToken abort = default)
    {
        var run = await StartFileAsync(path, abort);
        return await run.CompleteAsync(abort);
    }

    /// <summary>Uploads a local file to <c>incoming/&lt;name&gt;</c> and delivers its event; the run goes on in the background.</summary>
    public async Task<FileRun> StartFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var name = Path.GetFileName(path);
        // A kill between the put and the execution's own claim would leave the file with no run; this record lets
        // the next ingest deliver its event (RecoverAsync). RegisterFile's claim ends it.
        var upload = Uploads.Begin(BucketName, IncomingPrefix + name);
        try
        {
            ObjectInfo info;
            await using (var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                info = await PutIncomingAsync(name, content, cancellationToken);
            }

            _uploads[(info.Key, info.VersionId ?? info.ETag.Trim('"'))] = upload;
            return Deliver(ObjectCreated(info), info, Path.GetFullPath(path));
        }
        catch
        {
            Uploads.End(upload);
            throw;
        }
    }

    /// <summary>Stores content under <c>incoming/&lt;fileName&gt;</c> without sending an event (as a missed event would leave it).</summary>
    public Task<ObjectInfo> PutIncomingAsync(string fileName, Stream content, CancellationToken cancellationToken = default) =>
        Objects.PutAsync(BucketName, IncomingPrefix + fileName, content, cancellationToken);

    /// <summary>Delivers the Object Created event of an object already in the bucket (a file dropped into the folder).</summary>
    /// <exception cref="Handlers.Storage.ObjectNotFoundException">There is no such object.</exception>
    public async Task<FileRun> StartObjectAsync(string key, CancellationToken cancellationToken = default)
    {
        var info = await Objects.HeadAsync(BucketName, key, cancellationToken) ?? throw new ObjectNotFoundException(BucketName, key);
        return Deliver(ObjectCreated(info), info, null);
    }

    /// <summary>The EventBridge event S3 would send for this object version, at the pipeline clock's now.</summary>
    public JObject ObjectCreated(ObjectInfo info) => ObjectCreatedEvent.Create(info, Clock.GetUtcNow(), Resources.Region, Resources.AccountId);

    /// <summary>
    /// Delivers an event (again, if you like: EventBridge is at-least-once) and returns the IngestFile run it started.
    /// </summary>
    /// <exception cref="InvalidOperationException">The event matches no rule (e.g. a key outside <c>incoming/</c>).</exception>
    public FileRun Deliver(JObject @event, ObjectInfo info, string? sourceFile = null)
    {
        var execution = Router.Route(@event).FirstOrDefault(e => e.StateMachine == IngestFile)
            ?? throw new InvalidOperationException($"The Object Created event for s3://{info.Bucket}/{info.Key} matches no rule: only objects under {IncomingPrefix} of bucket {BucketName} are ingested.");
        return new FileRun(this, execution, info, sourceFile);
    }

    /// <summary><c>ingest sync</c>: runs NightlySync now, which sends every object in <c>incoming/</c> older than the grace period through IngestFile.</summary>
    public async Task<SyncResult> SyncAsync(long graceSeconds, CancellationToken abort = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(graceSeconds);
        var started = Clock.GetTimestamp();
        var execution = Engine.Start(NightlySync, new JObject([new("graceSeconds", JNumber.Of(graceSeconds))]), new StartExecutionOptions { History = _options.History });
        Track(execution);
        ExecutionResult outcome;
        using (abort.Register(() => execution.Stop(StoppedError, StoppedCause)))
        {
            outcome = await execution.Completion;
        }

        var output = outcome.Output as JObject;
        long Count(string name) => output?.Get(name) is JNumber n ? n.LongValue : 0;
        return new SyncResult(execution.Arn, outcome.Status, Count("total"), Count("stale"), Count("failed"), outcome.Error, outcome.Cause, Clock.GetElapsedTime(started));
    }

    /// <summary>Stops every execution still running, waits for them, and closes the adapters and logs.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var execution in _active.Values)
        {
            execution.Stop(ShutdownError, "The local pipeline was closed.");
        }

        foreach (var execution in _active.Values)
        {
            await execution.Completion;
        }

        // Settling an ended execution may still write to the ledger: let it finish before the adapters close.
        await Task.WhenAll(_settling.Values);
        await DisposeOwnedAsync();
    }

    private async ValueTask DisposeOwnedAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            switch (_owned[i])
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    private StateMachine Add(StateMachine machine)
    {
        _machines[Engine.StateMachineArn(machine)] = machine;
        return machine;
    }

    private void Track(Execution execution)
    {
        _active[execution.Arn] = execution;
        var settled = SettleAsync(execution);
        _settling[execution.Arn] = settled;
        if (settled.IsCompleted)
        {
            _settling.TryRemove(execution.Arn, out _);
        }
    }

    /// <summary>
    /// When an IngestFile execution ends: an execution that ended without SummarizeRun completing its ledger entry
    /// (stopped, timed out) releases the entry as FAILED, so a retry can take the file at once instead of after the
    /// ledger's lease; then the run is no longer this process's.
    /// </summary>
    private async Task SettleAsync(Execution execution)
    {
        var outcome = await execution.Completion.ConfigureAwait(false);
        try
        {
            if (execution.StateMachine == IngestFile)
            {
                var soFar = _tally.Take(execution);
                if (outcome.Status != ExecutionStatus.Succeeded)
                {
                    await ReleaseLedgerAsync(execution.Name, execution.Input, outcome.Error ?? "ExecutionAborted", outcome.Cause ?? "The execution ended before it finished.", soFar, CancellationToken.None);
                }

                Runs.Release(execution.Name);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The ledger's lease still frees the file later; say why it did not happen now.
            await Console.Error.WriteLineAsync($"ingest: could not settle execution {execution.Name}: {e.Message}");
        }
        finally
        {
            _active.TryRemove(execution.Arn, out _);
            _settling.TryRemove(execution.Arn, out _);
        }
    }

    /// <summary>
    /// Waits until what the end of <paramref name="execution"/> leaves to do is done (an interrupted run's ledger
    /// entry released, with the counts of the batches it finished), so a result read afterwards sees it.
    /// </summary>
    internal Task WhenSettledAsync(Execution execution) =>
        _settling.TryGetValue(execution.Arn, out var settling) ? settling : Task.CompletedTask;

    private T Own<T>(T resource)
    {
        if (resource is IDisposable or IAsyncDisposable)
        {
            _owned.Add(resource!);
        }

        return resource;
    }
}
