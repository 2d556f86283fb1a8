using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.States;
using Ingestion.States.Integrations;
using Ingestion.States.Json;
using Ingestion.Storage.Local.Recovery;

namespace Ingestion.Local;

/// <summary>Retrying files: after a crash of a local process, and on request (<c>ingest redrive</c>).</summary>
public sealed partial class LocalPipeline
{
    /// <summary>The ledger error of a run whose local process ended before the run did.</summary>
    public const string InterruptedError = "LocalRunInterrupted";

    /// <summary>The error of a run stopped on request (Ctrl+C): its file stays in <c>incoming/</c> and the next ingest finishes it.</summary>
    public const string StoppedError = "Interrupted";

    internal const string StoppedCause = "The local run was interrupted.";

    /// <summary>The error of a run still going when its pipeline was closed; finished by the next ingest as a stopped one.</summary>
    public const string ShutdownError = "Shutdown";

    /// <summary>
    /// Finishes what crashed local processes left unfinished: every IngestFile execution whose process is gone (see
    /// <see cref="LocalRunRegistry"/>) and whose file was not completed has its ledger entry released as FAILED and
    /// runs again, as a new execution with the same input (its event). Records it had stored come out
    /// <c>replayed</c> and are announced again (at least once); the rest are stored.
    /// </summary>
    /// <returns>The runs started; await each.</returns>
    public async Task<IReadOnlyList<FileRun>> RecoverAsync(CancellationToken cancellationToken = default)
    {
        var recovered = new List<FileRun>();
        if (Objects is Storage.Local.Folder.LocalFolderObjectStore folder)
        {
            folder.RemoveAbandonedUploads(); // A put killed part-way left its copy in s3/.tmp/.
        }

        foreach (var orphan in Runs.Orphans())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var input = JValue.Parse(System.Text.Encoding.UTF8.GetBytes(orphan.Input));
            var (bucket, key) = ObjectOf(input);
            var entry = key is null ? null : await FindEntryAsync(key, orphan.ExecutionName, cancellationToken);
            if (entry is { Status: FileStatus.Succeeded or FileStatus.Quarantined })
            {
                Runs.TryTake(orphan); // It got as far as completing the file; only forgetting the run was left.
                continue;
            }

            if (entry is { Status: FileStatus.InProgress })
            {
                await Ledger.CompleteAsync(
                    new LedgerFile(entry.Bucket, entry.Key, entry.Version, entry.ETag, entry.Size, entry.SourceTime),
                    new FileCompletion(FileStatus.Failed, orphan.ExecutionName, Clock.GetUtcNow(), entry.Counts, entry.ReportKey, new ErrorInfo(
                        InterruptedError,
                        $"The {LocalRunRegistry.Describe(orphan.Owner)} running this execution ended before it finished; the next ingest ran the file again.")),
                    cancellationToken);
            }

            // Exactly one process takes an orphan over, however many start at once.
            if (!Runs.TryTake(orphan) || bucket is null || key is null)
            {
                continue;
            }

            // The version the crashed run was ingesting, not whatever upload of the same name is current now.
            if (!ObjectKey.TryValidate(key, out _) || await Objects.HeadAsync(bucket, key, VersionOf(input), cancellationToken) is not { } info)
            {
                continue; // The object is gone: nothing is left to ingest.
            }

            var execution = Engine.Start(IngestFile, input, new StartExecutionOptions { Name = Guid.NewGuid().ToString(), History = _options.History });
            Track(execution);
            recovered.Add(new FileRun(this, execution, info, null));
        }

        foreach (var upload in Uploads.Orphans())
        {
            // A process killed between its upload and the execution's claim: the object may be there with no run.
            if (!Uploads.TryTake(upload) || await Objects.HeadAsync(upload.Bucket, upload.Key, cancellationToken) is not { } info
                || recovered.Any(run => run.Object.Key == info.Key && run.Object.VersionId == info.VersionId)
                || await Ledger.GetAsync(info.Bucket, info.Key, info.VersionId ?? info.ETag.Trim('"'), cancellationToken) is not null)
            {
                continue;
            }

            recovered.Add(Deliver(ObjectCreated(info), info));
        }

        await foreach (var info in StoppedFilesAsync(cancellationToken))
        {
            recovered.Add(Deliver(ObjectCreated(info), info));
        }

        return recovered;
    }

    /// <summary>
    /// The files in <c>incoming/</c> whose last run was stopped (Ctrl+C, or the pipeline closed under it) rather than
    /// failed: the ledger says FAILED, with the stop's error. Files whose records failed are left to redrive and the
    /// nightly sync, as on AWS.
    /// </summary>
    private async IAsyncEnumerable<ObjectInfo> StoppedFilesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var info in Objects.ListAsync(BucketName, IncomingPrefix, cancellationToken))
        {
            // The ledger knows a version by its id, or by its unquoted ETag where the bucket is unversioned.
            if ((info.VersionId ?? info.ETag?.Trim('"')) is not { } version)
            {
                continue;
            }

            var entry = await Ledger.GetAsync(info.Bucket, info.Key, version, cancellationToken);
            if (entry is { Status: FileStatus.Failed, Error.Error: StoppedError or ShutdownError })
            {
                yield return info;
            }
        }
    }

    /// <summary>
    /// <c>ingest redrive KEY</c>: delivers the Object Created event of the object version now in <c>incoming/</c>
    /// again, through the rule. A FAILED version registers again and runs: records already stored from it come out
    /// <c>replayed</c>, the failed ones are stored. A version that is done or in progress ends ALREADY_PROCESSED.
    /// </summary>
    /// <param name="nameOrKey">A file name (<c>students.json</c>) or key (<c>incoming/students.json</c>).</param>
    /// <exception cref="InvalidOperationException">There is no such object in <c>incoming/</c>; the message says where the file went.</exception>
    public async Task<FileRun> RedriveAsync(string nameOrKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrKey);
        var key = nameOrKey.StartsWith(IncomingPrefix, StringComparison.Ordinal) ? nameOrKey : IncomingPrefix + nameOrKey.TrimStart('/');
        if (!ObjectKey.TryValidate(key, out var problem))
        {
            throw new InvalidOperationException($"'{nameOrKey}' cannot name an object: {problem}.");
        }

        var info = await Objects.HeadAsync(BucketName, key, cancellationToken);
        if (info is null)
        {
            throw new InvalidOperationException(await WhyNotInIncomingAsync(key, cancellationToken));
        }

        return Deliver(ObjectCreated(info), info);
    }

    private async Task<string> WhyNotInIncomingAsync(string key, CancellationToken cancellationToken)
    {
        var name = key[IncomingPrefix.Length..];
        if (await Objects.HeadAsync(BucketName, "quarantine/" + name, cancellationToken) is not null)
        {
            return $"{key} is not waiting to be ingested: it could not be read and was quarantined (quarantine/{name}; the report says why). Fix the file and ingest the corrected one.";
        }

        if (await Objects.HeadAsync(BucketName, "archive/" + name, cancellationToken) is not null)
        {
            return $"{key} is not waiting to be ingested: it was ingested and archived (archive/{name}). Nothing to redrive.";
        }

        return $"There is no {key} in bucket {BucketName}: nothing to redrive.";
    }

    /// <summary>Records in <see cref="Runs"/> that this process runs the execution, before RegisterFile writes the ledger.</summary>
    private StreamFunction RecordingOwner(StreamFunction registerFile) => async (input, cancellationToken) =>
    {
        using var copy = new MemoryStream();
        await input.CopyToAsync(copy, cancellationToken);
        try
        {
            using var payload = JsonDocument.Parse(copy.GetBuffer().AsMemory(0, (int)copy.Length));
            if (payload.RootElement.ValueKind == JsonValueKind.Object
                && payload.RootElement.TryGetProperty("executionName", out var name) && name.ValueKind == JsonValueKind.String
                && payload.RootElement.TryGetProperty("event", out var @event))
            {
                Runs.Claim(name.GetString()!, @event.GetRawText());
                if (UploadOf(@event) is { } uploaded && _uploads.TryRemove(uploaded, out var upload))
                {
                    Uploads.End(upload); // The execution's claim covers the file from here on.
                }
            }
        }
        catch (JsonException)
        {
            // Not RegisterFile's input: the function says so itself.
        }

        copy.Position = 0;
        return await registerFile(copy, cancellationToken);
    };

    /// <summary>An ended execution left its ledger entry IN_PROGRESS: mark it FAILED, so a retry need not wait for the lease.</summary>
    /// <param name="soFar">What the batches that finished did; the entry keeps it when SummarizeRun recorded nothing.</param>
    private async Task ReleaseLedgerAsync(string executionName, JValue input, string error, string cause, RunCounts soFar, CancellationToken cancellationToken)
    {
        if (ObjectOf(input) is not (_, { } key) || await FindEntryAsync(key, executionName, cancellationToken) is not { Status: FileStatus.InProgress } entry)
        {
            return;
        }

        await Ledger.CompleteAsync(
            new LedgerFile(entry.Bucket, entry.Key, entry.Version, entry.ETag, entry.Size, entry.SourceTime),
            new FileCompletion(FileStatus.Failed, executionName, Clock.GetUtcNow(), entry.Counts ?? soFar, entry.ReportKey, new ErrorInfo(error, cause)),
            cancellationToken);
    }

    private async Task<LedgerEntry?> FindEntryAsync(string key, string executionName, CancellationToken cancellationToken)
    {
        await foreach (var entry in Ledger.ListAsync(key, 100, cancellationToken))
        {
            if (entry.ExecutionName == executionName)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The object version of an Object Created event, as <see cref="StartFileAsync"/> keys its uploads.</summary>
    private static (string Key, string Version)? UploadOf(JsonElement @event) =>
        @event.ValueKind == JsonValueKind.Object && @event.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.Object
        && detail.TryGetProperty("object", out var @object) && @object.ValueKind == JsonValueKind.Object
        && @object.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String
            && (@object.TryGetProperty("version-id", out var version) || @object.TryGetProperty("etag", out version)) && version.ValueKind == JsonValueKind.String
            ? (key.GetString()!, version.GetString()!)
            : null;

    /// <summary>The bucket and key an Object Created event (or NightlySync's event) names.</summary>
    private static string? VersionOf(JValue input) =>
        ((((input as JObject)?.Get("detail") as JObject)?.Get("object") as JObject)?.Get("version-id") as JString)?.Value;

    private static (string? Bucket, string? Key) ObjectOf(JValue input)
    {
        var detail = (input as JObject)?.Get("detail") as JObject;
        var bucket = ((detail?.Get("bucket") as JObject)?.Get("name") as JString)?.Value;
        var key = ((detail?.Get("object") as JObject)?.Get("key") as JString)?.Value;
        return (bucket, key);
    }
}
