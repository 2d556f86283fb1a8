using System.Runtime.CompilerServices;
using Ingestion.Domain.Storage;
using Ingestion.Local;
using Ingestion.Storage.Local.Outbox;

namespace Ingestion.Reliability.Tests.Faults;

/// <summary>The test-only fault layer over a pipeline's adapters, plugged in through <see cref="LocalPipelineOptions.Adapters"/>.</summary>
public static class FaultyAdapters
{
    public static LocalPipelineOptions With(this LocalPipelineOptions options, FaultPlan plan) => options with
    {
        Adapters = real => new LocalAdapters(
            new FaultyObjectStore(real.Objects, plan),
            new FaultyStudentStore(real.Students, plan),
            new FaultyLedger(real.Ledger, plan),
            new FaultyOutbox(real.Outbox, plan)),
    };
}

/// <summary>Store writes fail before they happen, fail after they committed (a lost response), or fail for chosen records.</summary>
public sealed class FaultyStudentStore(IStudentStore inner, FaultPlan plan) : IStudentStore
{
    public async Task<IReadOnlyList<StoreOutcome>> StoreBatchAsync(StudentSource source, IReadOnlyList<IncomingStudent> students, CancellationToken cancellationToken = default)
    {
        await plan.BeforeAsync(FaultSite.Store, cancellationToken);
        if (plan.FailsPermanently(students.Select(s => s.Index)))
        {
            plan.Record("Store.permanent");
            throw new InjectedPermanentFaultException($"The store refuses this batch of {students.Count} students (injected until cleared).");
        }

        var outcomes = await inner.StoreBatchAsync(source, students, cancellationToken);
        if (plan.LoseResponse())
        {
            plan.Record("Store.lostResponse");
            throw new StorageUnreachableException("DynamoDB table 'StudentRecords' (injected)", "The connection closed before the response arrived (injected); the write may have happened.");
        }

        return outcomes;
    }

    public Task<StoredStudent?> GetAsync(string studentId, CancellationToken cancellationToken = default) => inner.GetAsync(studentId, cancellationToken);

    public IAsyncEnumerable<StoredStudent> ListAsync(string? department = null, CancellationToken cancellationToken = default) => inner.ListAsync(department, cancellationToken);
}

public sealed class FaultyLedger(IFileLedger inner, FaultPlan plan) : IFileLedger
{
    public async Task<RegistrationResult> RegisterAsync(LedgerFile file, string executionName, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await plan.BeforeAsync(FaultSite.Ledger, cancellationToken);
        return await inner.RegisterAsync(file, executionName, now, cancellationToken);
    }

    public async Task<bool> CompleteAsync(LedgerFile file, FileCompletion completion, CancellationToken cancellationToken = default)
    {
        await plan.BeforeAsync(FaultSite.Ledger, cancellationToken);
        return await inner.CompleteAsync(file, completion, cancellationToken);
    }

    public async Task<LedgerEntry?> GetAsync(string bucket, string key, string version, CancellationToken cancellationToken = default)
    {
        await plan.BeforeAsync(FaultSite.Ledger, cancellationToken);
        return await inner.GetAsync(bucket, key, version, cancellationToken);
    }

    public IAsyncEnumerable<LedgerEntry> ListAsync(string? key = null, int limit = 100, CancellationToken cancellationToken = default) => inner.ListAsync(key, limit, cancellationToken);
}

/// <summary>
/// Object-store calls fail at the plan's rate. By default only the handlers' calls do (RegisterFile's head,
/// SummarizeRun's reads of results/, its report and its move): the interpreter reaches the same store for Step
/// Functions' own S3 access (the ItemReader reading incoming/, the ResultWriter writing results/, NightlySync listing
/// incoming/), which AWS retries inside the service and the interpreter does not; a failed item read would be taken
/// for an unreadable file and quarantine it.
/// </summary>
public sealed class FaultyObjectStore(IObjectStore inner, FaultPlan plan) : IObjectStore
{
    public static bool IsHandlerCall(string operation, string key) => (operation, key.Split('/')[0]) switch
    {
        ("Get" or "List", "incoming") => false,
        ("Put", "results") => false,
        _ => true,
    };

    public async Task<ObjectInfo?> HeadAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken = default)
    {
        await MaybeFailAsync("Head", key, cancellationToken);
        return await inner.HeadAsync(bucket, key, versionId, cancellationToken);
    }

    public async Task<ObjectContent> GetAsync(string bucket, string key, string? versionId = null, CancellationToken cancellationToken = default)
    {
        await MaybeFailAsync("Get", key, cancellationToken);
        return await inner.GetAsync(bucket, key, versionId, cancellationToken);
    }

    public async Task<ObjectInfo> PutAsync(string bucket, string key, Stream content, CancellationToken cancellationToken = default)
    {
        await MaybeFailAsync("Put", key, cancellationToken);
        return await inner.PutAsync(bucket, key, content, cancellationToken);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await MaybeFailAsync("List", prefix, cancellationToken);
        await foreach (var info in inner.ListAsync(bucket, prefix, cancellationToken))
        {
            yield return info;
        }
    }

    public async Task<ObjectInfo> MoveAsync(string bucket, string sourceKey, string destinationKey, string? sourceVersionId, CancellationToken cancellationToken = default)
    {
        await MaybeFailAsync("Move", sourceKey, cancellationToken);
        return await inner.MoveAsync(bucket, sourceKey, destinationKey, sourceVersionId, cancellationToken);
    }

    private ValueTask MaybeFailAsync(string operation, string key, CancellationToken cancellationToken) =>
        plan.ObjectCallMayFail(operation, key) ? plan.BeforeAsync(FaultSite.Objects, cancellationToken) : ValueTask.CompletedTask;
}

public sealed class FaultyOutbox(IOutbox inner, FaultPlan plan) : IOutbox
{
    public async Task<IReadOnlyList<string>> PublishAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default)
    {
        await plan.BeforeAsync(FaultSite.Outbox, cancellationToken);
        return await inner.PublishAsync(messages, cancellationToken);
    }

    public IAsyncEnumerable<OutboxEntry> ListAsync(string? topic = null, int? limit = null, bool latest = false, CancellationToken cancellationToken = default) =>
        inner.ListAsync(topic, limit, latest, cancellationToken);

    public Task<long> CountAsync(string? topic = null, CancellationToken cancellationToken = default) => inner.CountAsync(topic, cancellationToken);
}
