using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Functions.Telemetry;

namespace Ingestion.Functions.Reports;

/// <summary>What a run's rejections add up to: each with its row and fields, the summary by reason, the callout.</summary>
internal sealed record RejectionAnalysis(IReadOnlyList<RejectedRecord> Rejected, SourceRecords Source, IReadOnlyList<ReasonCount> Summary, FileCallout? Callout)
{
    public static readonly RejectionAnalysis None = new([], SourceRecords.None, [], null);

    /// <summary>Reads the file version again for the rejected records' rows and fields (not at all when nothing was rejected).</summary>
    /// <remarks>
    /// A second read that fails (the object gone, a storage error) costs the CSV its fields and exact rows, not the
    /// run: the report is what must be written, so the failure is logged and the rows are estimated from the indexes.
    /// </remarks>
    public static async Task<RejectionAnalysis> BuildAsync(
        IObjectStore objects, IngestFile file, long received, List<RejectedRecord> rejected, PowertoolsCompatibleLogger log, CancellationToken cancellationToken)
    {
        var source = SourceRecords.None;
        if (rejected.Count > 0)
        {
            try
            {
                var version = string.Equals(file.VersionId, file.Etag, StringComparison.Ordinal) ? null : file.VersionId;
                await using var content = await TransientStorage.ReadAsync(() => objects.GetAsync(file.Bucket, file.Key, version, cancellationToken), cancellationToken);
                source = await SourceRecords.ReadAsync(content.Content, file.InputType, file.CsvDelimiter, rejected.Select(r => r.Index).ToHashSet(), cancellationToken);
            }
            catch (Exception e) when (e is IngestionException or JsonException or IOException or InvalidOperationException)
            {
                log.Warn("Could not read the file again for the rejections CSV: rows are estimated and fields left out", ("key", file.Key), ("versionId", file.VersionId), ("error", e.GetType().Name));
            }
        }

        var summary = ReasonSummary.Build(rejected.Select(r => (source.RowOf(r.Index, file.InputType), r.Reasons)));
        return new RejectionAnalysis(rejected, source, summary, FileCallout.For(received, rejected, summary, source, file.InputType));
    }
}
