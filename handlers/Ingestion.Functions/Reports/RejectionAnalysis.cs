using System.Buffers;
using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Functions.Telemetry;

namespace Ingestion.Functions.Reports;

/// <summary>What a run's rejections add up to: the summary by reason, the callout, the spreadsheet's rows and the report's entries.</summary>
/// <remarks>
/// Built in one pass over the rejected records in index order, in step with a second read of the file for their rows
/// and fields. Memory holds one record at a time and the counts per reason; the rows and entries go to spool files, so
/// a file with a million rejected records is summarised in the memory of one with ten.
/// </remarks>
internal sealed class RejectionAnalysis : IDisposable
{
    private RejectionAnalysis(RejectionsCsv csv, EntryLog entries, IReadOnlyList<string> columns, IReadOnlyList<ReasonCount> summary, FileCallout? callout)
    {
        Csv = csv;
        Entries = entries;
        Columns = columns;
        Summary = summary;
        Callout = callout;
    }

    /// <summary>The spreadsheet's rows, to be written out with <see cref="Columns"/>.</summary>
    public RejectionsCsv Csv { get; }

    /// <summary>The report's <c>rejected</c> list: one JSON object per record, with its row, lowest index first.</summary>
    public EntryLog Entries { get; }

    /// <summary>The file's columns, as the spreadsheet lays the records' fields out.</summary>
    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<ReasonCount> Summary { get; }

    public FileCallout? Callout { get; }

    /// <summary>No rejections: a quarantined file, or one whose results could not be read.</summary>
    public static RejectionAnalysis Empty() => new(new RejectionsCsv(), new EntryLog(), [], [], null);

    /// <summary>Reads the file version again for the rejected records' rows and fields (not at all when nothing was rejected).</summary>
    /// <remarks>
    /// A second read that fails (the object gone, a storage error) costs the spreadsheet its fields and exact rows, not
    /// the run: the report is what must be written, so the failure is logged and the rows from there on are estimated
    /// from the indexes.
    /// </remarks>
    public static async Task<RejectionAnalysis> BuildAsync(
        IObjectStore objects, IngestFile file, long received, IndexedSpool rejected, PowertoolsCompatibleLogger log, CancellationToken cancellationToken)
    {
        var csv = new RejectionsCsv();
        var entries = new EntryLog();
        try
        {
            var tally = new ReasonTally();
            var addresses = new AddressColumns();
            var reader = new SecondRead(objects, file, log);
            await using (reader)
            {
                var scratch = new ArrayBufferWriter<byte>(1024);
                using var writer = new Utf8JsonWriter(scratch, FunctionOutput.WriterOptions);
                foreach (var (index, json) in rejected.ReadInIndexOrder())
                {
                    var record = RejectedRecord.Read(json, index);
                    var found = await reader.FindAsync(index, cancellationToken);
                    var row = found?.Row ?? SourceCursor.EstimatedRow(index, file.InputType);
                    tally.Add(row, record.Reasons);
                    addresses.Add(found);
                    csv.Add(row, record, found, reader.Columns);
                    scratch.ResetWrittenCount();
                    writer.Reset();
                    RejectedJson.Write(writer, record.Index, record.StudentId, record.Reasons, row);
                    writer.Flush();
                    entries.Add(scratch.WrittenSpan);
                }
            }

            var summary = tally.Build();
            var shape = new SourceShape(reader.Columns, reader.Delimiter, addresses.Records, addresses.PerColumn);
            return new RejectionAnalysis(csv, entries, reader.Columns, summary, FileCallout.For(received, rejected.Count, summary, shape, file.InputType));
        }
        catch
        {
            csv.Dispose();
            entries.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Csv.Dispose();
        Entries.Dispose();
    }

    /// <summary>The second read of the file, opened at the first record asked for; after a failure, no more records and a warning.</summary>
    private sealed class SecondRead(IObjectStore objects, IngestFile file, PowertoolsCompatibleLogger log) : IAsyncDisposable
    {
        private ObjectContent? _content;
        private SourceCursor? _cursor;
        private bool _failed;

        public IReadOnlyList<string> Columns { get; private set; } = [];

        public char? Delimiter { get; private set; }

        public async ValueTask<SourceRecord?> FindAsync(long index, CancellationToken cancellationToken)
        {
            if (_failed)
            {
                return null;
            }

            try
            {
                if (_cursor is null)
                {
                    var version = string.Equals(file.VersionId, file.Etag, StringComparison.Ordinal) ? null : file.VersionId;
                    _content = await TransientStorage.ReadAsync(() => objects.GetAsync(file.Bucket, file.Key, version, cancellationToken), cancellationToken);
                    _cursor = SourceCursor.Open(_content.Content, file.InputType, file.CsvDelimiter, cancellationToken);
                    Delimiter = _cursor.Delimiter;
                }

                var found = await _cursor.FindAsync(index, cancellationToken);
                Columns = _cursor.Columns;
                return found;
            }
            catch (Exception e) when (e is IngestionException or JsonException or IOException or InvalidOperationException)
            {
                log.Warn("Could not read the file again for the rejections CSV: rows are estimated and fields left out from here on", ("key", file.Key), ("versionId", file.VersionId), ("index", index), ("error", e.GetType().Name));
                _failed = true;
                await DisposeAsync();
                return null;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_cursor is not null)
            {
                await _cursor.DisposeAsync();
                _cursor = null;
            }

            if (_content is not null)
            {
                await _content.DisposeAsync();
                _content = null;
            }
        }
    }

    /// <summary>Counts, per column, the rejected records found in the file that hold an '@' there (the callout's hint at swapped columns).</summary>
    private sealed class AddressColumns
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public long Records { get; private set; }

        public Dictionary<string, long> PerColumn { get; } = new(StringComparer.Ordinal);

        public void Add(SourceRecord? record)
        {
            if (record is null)
            {
                return;
            }

            Records++;
            _seen.Clear();
            foreach (var (name, value) in record.Fields)
            {
                if (value.Contains('@', StringComparison.Ordinal) && _seen.Add(name))
                {
                    PerColumn[name] = PerColumn.GetValueOrDefault(name) + 1;
                }
            }
        }
    }
}
