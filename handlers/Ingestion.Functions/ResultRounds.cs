using Ingestion.Domain.Storage;

namespace Ingestion.Functions;

/// <summary>
/// The map runs of one IngestFile execution, in order: the run that read the file, then each round of
/// RetryFailedBatches, which ran only the batches that failed in the round before.
/// </summary>
/// <remarks>
/// The ResultWriter writes <c>&lt;prefix&gt;/&lt;map run id&gt;/manifest.json</c> for the reading map and
/// <c>&lt;prefix&gt;/retry-&lt;n&gt;/&lt;map run id&gt;/manifest.json</c> for round n. A round's newest manifest
/// counts (a redriven map run writes a new one). Every round's succeeded batches count; only the last round's failed
/// ones are failed, since every failure of a round was run again in the next.
/// </remarks>
internal static class ResultRounds
{
    private const string RetryFolder = "retry-";
    private const string Manifest = "/manifest.json";

    public static async Task<IReadOnlyList<ManifestLocation>> FindAsync(IObjectStore objects, IngestFile file, CancellationToken cancellationToken)
    {
        var prefix = file.ResultPrefix.TrimEnd('/') + "/";
        var newest = new SortedDictionary<int, ObjectInfo>();
        await foreach (var info in objects.ListAsync(file.Bucket, prefix, cancellationToken))
        {
            if (info.Key.EndsWith(Manifest, StringComparison.Ordinal) && RoundOf(info.Key[prefix.Length..^Manifest.Length]) is int round
                && (!newest.TryGetValue(round, out var seen) || info.LastModified > seen.LastModified
                    || info.LastModified == seen.LastModified && ObjectKey.CompareUtf8(info.Key, seen.Key) > 0))
            {
                newest[round] = info;
            }
        }

        return [.. newest.Values.Select(info => new ManifestLocation(info.Bucket, info.Key))];
    }

    /// <summary>0 for <c>&lt;run id&gt;</c>, n for <c>retry-n/&lt;run id&gt;</c>, null for anything else.</summary>
    private static int? RoundOf(string folder)
    {
        var parts = folder.Split('/');
        return parts switch
        {
            [_] => 0,
            [var retry, _] when retry.StartsWith(RetryFolder, StringComparison.Ordinal)
                && int.TryParse(retry.AsSpan(RetryFolder.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 => n,
            _ => null,
        };
    }
}
