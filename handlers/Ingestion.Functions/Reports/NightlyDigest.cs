using System.Globalization;
using System.Text;
using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;

namespace Ingestion.Functions.Reports;

/// <summary>
/// The nightly digest: what NightlySync found in <c>incoming/</c> and what the files it ingested add up to, in plain
/// text for the AdminAlerts e-mail: the counts, the summary by reason over every file (the commonest with a file and
/// row to look at), and where each file's rejections spreadsheet is.
/// </summary>
/// <remarks>
/// Read from the results NightlySync's map writes, one entry per object: whether it was stale, and the IngestFile
/// output of a file ingested to the end (its counts and summary by reason, <see cref="RunSummary"/>) or the key of one
/// whose ingestion failed. A backlog can be 50,000 files, so memory keeps the totals, a count per (code, field) and
/// at most <see cref="MaxFilesListed"/> files of each list, and the e-mail stays far under SNS's 256 KB.
/// </remarks>
internal sealed class NightlyDigest(string syncTime, long? graceSeconds)
{
    /// <summary>How many files the digest names in each list; the rest are counted.</summary>
    public const int MaxFilesListed = 20;

    /// <summary>The summary lists at most this many reasons, as a file's e-mail does.</summary>

    private readonly Dictionary<(string Code, string? Field), NightReason> _reasons = [];
    private readonly Kept<RejectedFile> _rejectedFiles = new(MaxFilesListed, (a, b) =>
        a.Rejected != b.Rejected ? a.Rejected.CompareTo(b.Rejected) : -ObjectKey.CompareUtf8(a.Key, b.Key));
    private readonly Kept<string> _failedFiles = new(MaxFilesListed, (a, b) => -ObjectKey.CompareUtf8(a, b)); // the first keys

    /// <summary>Objects found in <c>incoming/</c>.</summary>
    public long Total { get; private set; }

    /// <summary>Those older than the grace period, sent through IngestFile again.</summary>
    public long Stale { get; private set; }

    /// <summary>Stale objects whose ingestion failed.</summary>
    public long Failed { get; private set; }

    /// <summary>Files ingested to the end, whose counts are in <see cref="Counts"/>.</summary>
    public long Ingested { get; private set; }

    public long FilesWithRejections { get; private set; }

    /// <summary>The counts of the files ingested, added up.</summary>
    public RunCounts Counts { get; private set; } = RunCounts.Zero;

    public async Task ReadAsync(IObjectStore objects, ManifestLocation location, CancellationToken cancellationToken)
    {
        var (destination, parts) = await ResultFiles.ReadManifestAsync(objects, location, cancellationToken);
        foreach (var (_, key) in parts)
        {
            await ResultFiles.ReadEntriesAsync(objects, destination, key, Add, cancellationToken);
        }
    }

    /// <summary>The counts NightlySync records and returns, and the digest it publishes.</summary>
    /// <param name="region">The region the S3 console links name; null (locally) for none.</param>
    public SyncDigest Write(string bucket, string? region)
    {
        var text = new StringBuilder();
        var grace = graceSeconds is { } seconds ? $" ({seconds} s)" : string.Empty;
        text.Append(CultureInfo.InvariantCulture, $"Nightly sync of {syncTime}.\n")
            .Append(CultureInfo.InvariantCulture, $"Files found in incoming/: {Total}. Older than the grace period{grace} and ingested again: {Stale}. Of those, failed: {Failed}.\n");
        var c = Counts;
        if (Ingested > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"The {Ingested} file(s) ingested to the end received {c.Received} students: {c.Created} created, {c.Updated} updated, {c.Unchanged} unchanged, {c.Replayed} replayed, {c.Stale} stale, {c.Rejected} rejected, {c.Failed} failed. Notifications sent: {c.Notified}.\n");
        }

        AppendReasons(text);
        AppendRejectedFiles(text, bucket, region);
        AppendFailedFiles(text);
        text.Append(CultureInfo.InvariantCulture, $"Each file ingested had its own e-mail with its counts and summary by reason. Every upload keeps its report and its rejections CSV under s3://{bucket}/reports/<file name>/");
        if (AdminMessage.ConsoleLink(bucket, "reports/", region, folder: true) is { } reports)
        {
            text.Append(", in the S3 console at ").Append(reports);
        }

        text.Append(".\n");
        var subject = $"Ingestion nightly sync: {Stale} leftover file(s)"
            + (Failed > 0 ? $", {Failed} failed" : string.Empty)
            + (c.Rejected > 0 ? $", {c.Rejected} records rejected" : string.Empty);
        return new SyncDigest(Total, Stale, Failed, subject, text.ToString());
    }

    private void AppendReasons(StringBuilder text)
    {
        if (_reasons.Count == 0)
        {
            return;
        }

        var reasons = _reasons
            .OrderByDescending(r => r.Value.Count)
            .ThenBy(r => r.Key.Code, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Field, StringComparer.Ordinal)
            .Select(r => r.Value)
            .ToList();
        AdminMessage.AppendReasons(text,
            $"Rejected records by reason, over the {FilesWithRejections} file(s) with rejections ({Counts.Rejected} records; one can have several reasons):",
            [.. reasons.Select(r => (r.Label, r.Count, $"{r.ExampleFile} row {r.ExampleRow}"))], "each file's report");
    }

    private void AppendRejectedFiles(StringBuilder text, string bucket, string? region)
    {
        if (FilesWithRejections == 0)
        {
            return;
        }

        text.Append("Rejections spreadsheets, a row per rejected record with its reasons and fields (fix the records and upload them as a new file):\n");
        foreach (var file in _rejectedFiles.MostFirst())
        {
            text.Append(CultureInfo.InvariantCulture, $"  {file.Name}, {file.Rejected} rejected: s3://{bucket}/{file.RejectionsKey}\n");
            if (AdminMessage.ConsoleLink(bucket, file.RejectionsKey, region) is { } link)
            {
                text.Append("    ").Append(link).Append('\n');
            }
        }

        if (FilesWithRejections > _rejectedFiles.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"  and {FilesWithRejections - _rejectedFiles.Count} more file(s) with rejections, each spreadsheet beside its report under s3://{bucket}/reports/<file name>/.\n");
        }
    }

    private void AppendFailedFiles(StringBuilder text)
    {
        if (Failed == 0)
        {
            return;
        }

        text.Append("Failed files, left in incoming/ for the next sync to retry (each file's own e-mail and report say why):\n");
        foreach (var key in _failedFiles.MostFirst())
        {
            text.Append("  ").Append(key).Append('\n');
        }

        if (Failed > _failedFiles.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"  and {Failed - _failedFiles.Count} more.\n");
        }
    }

    /// <summary>One entry of the map's results: with Transformation COMPACT a child's output; otherwise its execution record.</summary>
    private void Add(JsonElement entry)
    {
        if (!entry.TryGetProperty("ExecutionArn", out _))
        {
            AddFile(entry);
        }
        else if (JsonInput.OptionalString(entry, "Status") == "SUCCEEDED" && JsonInput.OptionalString(entry, "Output") is { } outputText)
        {
            using var output = JsonDocument.Parse(outputText, JsonInput.Options);
            AddFile(output.RootElement);
        }
        else
        {
            // The child itself failed (its IngestFile's failure is caught, so this is rare): a file that was not ingested.
            using var input = JsonDocument.Parse(JsonInput.OptionalString(entry, "Input") ?? "{}", JsonInput.Options);
            AddFailed(JsonInput.OptionalString(input.RootElement, "object.Key") ?? "(a file the results do not name)");
        }
    }

    private void AddFile(JsonElement output)
    {
        if (!JsonInput.TryGet(output, "stale", out var stale) || stale.ValueKind != JsonValueKind.True)
        {
            Total++;
            return;
        }

        if (JsonInput.TryGet(output, "failed", out var failed) && failed.ValueKind == JsonValueKind.True)
        {
            AddFailed(JsonInput.OptionalString(output, "key") ?? "(a file the results do not name)");
            return;
        }

        Total++;
        Stale++;

        // ALREADY_PROCESSED and the like end IngestFile without counts: nothing more to add.
        if (!JsonInput.TryGet(output, "ingest.counts", out var countsElement) || countsElement.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var run = JsonInput.Required(output, "ingest");
        var counts = DomainJson.ReadRunCounts(countsElement);
        var key = JsonInput.OptionalString(run, "key") ?? string.Empty;
        var name = ObjectKey.FileName(key);
        Ingested++;
        Counts = Counts.Add(counts);
        if (JsonInput.TryGet(run, "summary", out var summary) && summary.ValueKind == JsonValueKind.Array)
        {
            foreach (var reason in summary.EnumerateArray())
            {
                AddReason(name, reason);
            }
        }

        if (counts.Rejected > 0)
        {
            FilesWithRejections++;
            _rejectedFiles.Offer(new RejectedFile(key, name, counts.Rejected, JsonInput.OptionalString(run, "rejectionsKey") ?? string.Empty));
        }
    }

    private void AddFailed(string key)
    {
        Total++;
        Stale++;
        Failed++;
        _failedFiles.Offer(key);
    }

    /// <summary>Adds a file's count for a reason; the example is the row of the file with the most records for it.</summary>
    private void AddReason(string file, JsonElement reason)
    {
        var code = JsonInput.OptionalString(reason, "code") ?? "UNKNOWN";
        var field = JsonInput.OptionalString(reason, "field");
        var count = JsonInput.TryGetLong(reason, "count", out var n) ? n.Value : 0;
        var row = JsonInput.TryGetLong(reason, "exampleRow", out var r) ? r.Value : 0;
        if (!_reasons.TryGetValue((code, field), out var night))
        {
            _reasons[(code, field)] = new NightReason(field is null ? code : $"{code} ({field})", count, file, count, row);
            return;
        }

        night.Count += count;
        if (count > night.ExampleCount || count == night.ExampleCount && string.CompareOrdinal(file, night.ExampleFile) < 0)
        {
            (night.ExampleFile, night.ExampleCount, night.ExampleRow) = (file, count, row);
        }
    }

    private sealed record RejectedFile(string Key, string Name, long Rejected, string RejectionsKey);

    /// <summary>A reason over the night: its records in every file, and the file (with the most of them) and row to look at.</summary>
    private sealed class NightReason(string label, long count, string exampleFile, long exampleCount, long exampleRow)
    {
        public string Label { get; } = label;

        public long Count { get; set; } = count;

        public string ExampleFile { get; set; } = exampleFile;

        public long ExampleCount { get; set; } = exampleCount;

        public long ExampleRow { get; set; } = exampleRow;
    }

    /// <summary>The <paramref name="capacity"/> greatest items offered, by <paramref name="comparison"/>: what a list of thousands keeps to name.</summary>
    private sealed class Kept<T>(int capacity, Comparison<T> comparison)
    {
        private readonly PriorityQueue<T, T> _least = new(Comparer<T>.Create(comparison));

        public int Count => _least.Count;

        public void Offer(T item)
        {
            if (_least.Count < capacity)
            {
                _least.Enqueue(item, item);
            }
            else if (comparison(item, _least.Peek()) > 0)
            {
                _least.DequeueEnqueue(item, item);
            }
        }

        /// <summary>The items kept, greatest first.</summary>
        public IEnumerable<T> MostFirst() => _least.UnorderedItems.Select(i => i.Element).Order(Comparer<T>.Create((a, b) => comparison(b, a)));
    }
}
