using Ingestion.Domain.Storage;

namespace Ingestion.Functions;

/// <summary>
/// Whether an export older than a file version being registered may still be stored after it: RegisterFile's
/// <c>file.olderPending</c>, which makes the version's unchanged records write the seen marker
/// (<see cref="StudentSource.OlderPending"/>).
/// </summary>
/// <remarks>
/// <para>
/// Outstanding means: another object in <c>incoming/</c> last modified before this version (a failed file waits there
/// for its redrive; an upload in flight or never announced is there too), or an older version of this same key that
/// the ledger has in progress or failed (a noncurrent version is not listed). A nightly re-run with nothing left
/// in <c>incoming/</c> is not flagged, so its unchanged records cost no write.
/// </para>
/// <para>
/// Not seen: an object that appears in <c>incoming/</c> later with an older time (an S3 multipart upload still in
/// progress, whose time is when it began; a file copied in with its old modification time kept), and an older
/// version of the same key whose event has not yet reached RegisterFile. Those come out as before the marker: a
/// content that differs from what a newer export confirmed is updated.
/// </para>
/// </remarks>
internal static class OlderExports
{
    public const string IncomingPrefix = "incoming/";

    /// <summary>What is outstanding, for the log; null when nothing is.</summary>
    public static async Task<string?> FindAsync(IObjectStore objects, IFileLedger ledger, IngestFile file, DateTimeOffset sourceTime, CancellationToken cancellationToken)
    {
        await foreach (var other in objects.ListAsync(file.Bucket, IncomingPrefix, cancellationToken))
        {
            // Folder markers and files of other types never store a student (the latter are quarantined).
            if (other.LastModified < sourceTime && !other.Key.EndsWith('/') && RegisterFileFunction.InputTypeOf(other.Key) is not null)
            {
                return other.Key;
            }
        }

        await foreach (var entry in ledger.ListAsync(file.Key, cancellationToken: cancellationToken))
        {
            if (entry.Status is FileStatus.InProgress or FileStatus.Failed
                && entry.SourceTime < sourceTime
                && string.Equals(entry.Bucket, file.Bucket, StringComparison.Ordinal)
                && !string.Equals(entry.Version, file.VersionId, StringComparison.Ordinal))
            {
                return $"{entry.Key} version {entry.Version} ({entry.Status.ToWire()})";
            }
        }

        return null;
    }
}
