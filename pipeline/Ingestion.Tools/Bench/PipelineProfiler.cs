using System.Diagnostics;
using System.Runtime;
using Ingestion.Domain.Storage;
using Ingestion.Local;
using Ingestion.Local.Definitions;
using Ingestion.Storage.Local.Outbox;
using Ingestion.Storage.Local.Sqlite;
using Ingestion.Tools.Diagnostics;

namespace Ingestion.Tools.Bench;

/// <summary>
/// <c>ingest bench --profile</c>: where a pipeline run's CPU goes, stage by stage, measured through the pipeline's
/// hooks (the functions wrapper, the store adapter, the outbox's commit observer, the map run's ItemReader meter).
/// Nothing is measured unless a profiler is attached.
/// </summary>
internal sealed class PipelineProfiler
{
    private readonly StageMeter _validate = new("validate");
    private readonly StageMeter _store = new("store");
    private readonly StageMeter _sqlite = new("sqlite");
    private readonly StageMeter _sns = new("sns");
    private readonly StageMeter _outbox = new("outbox");
    private readonly StageMeter _report = new("report");
    private readonly StageMeter _reader = new("read");

    /// <summary>The pipeline options with every profiling hook added (existing hooks keep working).</summary>
    public LocalPipelineOptions Attach(LocalPipelineOptions options)
    {
        var functions = options.Functions;
        var integrations = options.Integrations;
        var adapters = options.Adapters;
        var observeItems = options.ObserveItems;
        return options with
        {
            ObserveItems = (run, items) => MeasureReader(observeItems?.Invoke(run, items) ?? items),
            Functions = (name, function) =>
            {
                var inner = functions?.Invoke(name, function) ?? function;
                var meter = name switch
                {
                    LocalResources.ValidateStudents => _validate,
                    LocalResources.StoreStudents => _store,
                    _ => _report,
                };
                return (input, ct) => meter.MeasureAsync(() => inner(input, ct));
            },
            Integrations = (resource, handler) =>
            {
                var inner = integrations?.Invoke(resource, handler) ?? handler;
                return (request, ct) => new ValueTask<Ingestion.States.Json.JValue>(_sns.MeasureAsync(() => inner(request, ct).AsTask()));
            },
            Adapters = real =>
            {
                if (real.Outbox is SqliteOutbox sqliteOutbox)
                {
                    sqliteOutbox.CommitHook = (_, commit) =>
                    {
                        var cpu = ThreadCpuTime.Now();
                        commit();
                        _outbox.Count();
                        _outbox.Add(ThreadCpuTime.Now() - cpu);
                    };
                }

                var database = options.Settings.Store == "sqlite" ? options.Settings.EffectiveSqlitePath : null;
                var wrapped = real with { Students = new MeteredStudentStore(real.Students, _sqlite, database), Outbox = new PausingOutbox(real.Outbox) };
                return adapters?.Invoke(wrapped) ?? wrapped;
            },
        };
    }

    /// <summary>Readings of the process-wide clocks, taken before and after a run.</summary>
    public static ProcessClocks ReadClocks() => new(
        Stopwatch.GetTimestamp(),
        Process.GetCurrentProcess().TotalProcessorTime,
        GC.GetTotalPauseDuration(),
        System.Runtime.JitInfo.GetCompilationTime(),
        GC.GetTotalAllocatedBytes());

    /// <summary>The breakdown of one run, given the clocks read before and after it.</summary>
    public PipelineProfile Finish(ProcessClocks before, ProcessClocks after, long students)
    {
        var wall = Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp);
        var cpu = after.ProcessorTime - before.ProcessorTime;
        var stages = new List<ProfileStage>
        {
            Stage(_reader, "read/parse", "the Distributed Map's ItemReader (read and parse the file)"),
            Stage(_validate, "validate", "ValidateStudents (parse its input, validate, write its output)"),
            Stage(_store, "store", "StoreStudents without SQLite (parse, content hash, notifications, output)"),
            Stage(_sqlite, "store: SQLite", "the student store's batch transactions (read, decide, upsert)"),
            Stage(_sns, "notify: SNS", "the SNS integration's PublishBatch calls, without the wait for the outbox (read and check the entries, answer)"),
            Stage(_outbox, "notify: outbox", "the outbox's group commits (one row per notification)"),
            Stage(_report, "report", "RegisterFile and SummarizeRun (results, report, ledger, archive)"),
        };
        var measured = stages.Aggregate(TimeSpan.Zero, (sum, stage) => sum + stage.Time);
        var engine = cpu - measured;
        return new PipelineProfile(
            wall,
            cpu,
            Environment.ProcessorCount,
            students,
            stages,
            engine < TimeSpan.Zero ? TimeSpan.Zero : engine,
            after.GcPause - before.GcPause,
            after.JitTime - before.JitTime,
            after.AllocatedBytes - before.AllocatedBytes,
            GCSettings.IsServerGC);
    }

    /// <summary>
    /// The items as read, with the CPU each step of the reader takes on its thread added to the read stage. A step
    /// that has to wait (for the file) is measured up to the wait; what runs after it counts as the engine's.
    /// </summary>
    private async IAsyncEnumerable<Ingestion.States.Json.JValue> MeasureReader(
        IAsyncEnumerable<Ingestion.States.Json.JValue> items, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var enumerator = items.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            var cpu = ThreadCpuTime.Now();
            var next = enumerator.MoveNextAsync();
            _reader.Add(ThreadCpuTime.Now() - cpu);
            if (!await next)
            {
                yield break;
            }

            yield return enumerator.Current;
        }
    }

    private static ProfileStage Stage(StageMeter meter, string name, string what) =>
        new(name, what, meter.Time, meter.Calls, meter.ElapsedSegments);

    /// <summary>The student store, with each batch's SQLite work measured apart from the function that called it.</summary>
    /// <remarks>
    /// The waits happen before the measured stretch: for the store's own turn (calls take turns here, so the store
    /// never waits on its gate inside it) and, on SQLite, for the database's write lock, entered here so the store
    /// finds it held and goes straight to work.
    /// </remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A SemaphoreSlim whose wait handle is never asked for holds nothing to release, and the pipeline owns the inner store.")]
    private sealed class MeteredStudentStore(IStudentStore inner, StageMeter meter, string? database) : IStudentStore
    {
        private readonly SemaphoreSlim _turn = new(1, 1);

        public async Task<IReadOnlyList<StoreOutcome>> StoreBatchAsync(StudentSource source, IReadOnlyList<Ingestion.Domain.Storage.IncomingStudent> students, CancellationToken cancellationToken = default)
        {
            var caller = StageMeter.Active;
            caller?.Pause();
            await _turn.WaitAsync(cancellationToken);
            try
            {
                return database is null
                    ? await MeasureAsync(caller, source, students, cancellationToken)
                    : await SqliteWriteLock.EnterAsync(database, () => MeasureAsync(caller, source, students, cancellationToken), cancellationToken);
            }
            finally
            {
                _turn.Release();
            }
        }

        public Task<StoredStudent?> GetAsync(string studentId, CancellationToken cancellationToken = default) => inner.GetAsync(studentId, cancellationToken);

        public IAsyncEnumerable<StoredStudent> ListAsync(string? department = null, CancellationToken cancellationToken = default) => inner.ListAsync(department, cancellationToken);

        private Task<IReadOnlyList<StoreOutcome>> MeasureAsync(StageMeter.Segment? caller, StudentSource source, IReadOnlyList<Ingestion.Domain.Storage.IncomingStudent> students, CancellationToken cancellationToken)
        {
            caller?.Resume();
            return meter.MeasureAsync(() => inner.StoreBatchAsync(source, students, cancellationToken));
        }
    }

    /// <summary>The outbox, with a caller's measured stretch closed while it waits for its rows' group commit (measured apart).</summary>
    private sealed class PausingOutbox(IOutbox inner) : IOutbox
    {
        public async Task<IReadOnlyList<string>> PublishAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default)
        {
            var caller = StageMeter.Active;
            caller?.Pause();
            try
            {
                return await inner.PublishAsync(messages, cancellationToken);
            }
            finally
            {
                caller?.Resume();
            }
        }

        public IAsyncEnumerable<OutboxEntry> ListAsync(string? topic = null, int? limit = null, bool latest = false, CancellationToken cancellationToken = default) =>
            inner.ListAsync(topic, limit, latest, cancellationToken);

        public Task<long> CountAsync(string? topic = null, CancellationToken cancellationToken = default) => inner.CountAsync(topic, cancellationToken);
    }
}

/// <summary>Process-wide clock readings.</summary>
internal readonly record struct ProcessClocks(long Timestamp, TimeSpan ProcessorTime, TimeSpan GcPause, TimeSpan JitTime, long AllocatedBytes);
