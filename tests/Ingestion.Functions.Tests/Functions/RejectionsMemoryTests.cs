using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Ingestion.Domain.Storage;
using Ingestion.Functions.Telemetry;
using Ingestion.Functions.Tests.Support;
using Ingestion.Testing;
using Xunit.Abstractions;

namespace Ingestion.Functions.Tests.Functions;

/// <summary>
/// SummarizeRun over a file whose every record is rejected: the rejections CSV and the report list them all, in the
/// file's order, while the function holds no more of them in memory than a few.
/// </summary>
/// <remarks>
/// Memory is the live managed heap after a full collection, taken at every call SummarizeRun makes to the object store:
/// between reading the results, reading the file again, writing the CSV and writing the report, which is where a
/// summary that collected the records would hold them all. The collection runs alone (no other test allocates
/// meanwhile), and nothing here depends on time.
/// </remarks>
[Collection(Name)]
public sealed class RejectionsMemoryTests : IDisposable
{
    public const string Name = "Measures the heap";

    private const int Records = 200_000;
    private const int BatchSize = 80;

    private readonly TempFolder _folder = new();
    private readonly LocalRun _run;
    private readonly ITestOutputHelper _output;

    public RejectionsMemoryTests(ITestOutputHelper output)
    {
        _run = new LocalRun(_folder, new ManualClock());
        _output = output;
    }

    [Fact]
    public async Task Every_rejected_record_is_listed_in_file_order_while_memory_stays_a_fraction_of_the_spreadsheet()
    {
        var (file, map) = await PrepareAsync();
        var objects = new HeapMeasuringStore(_run.Objects);
        var summarize = new SummarizeRunFunction(objects, _run.Ledger, new TelemetryOptions(new MemoryLineSink(), new MemoryLineSink()), _run.Clock);
        var input = Encoding.UTF8.GetBytes($$"""{"mode":"complete","executionName":"exec-memory","file":{{file}},"map":{{map}} }""");

        objects.Start();
        JsonElement summary;
        await using (var output = await summarize.InvokeAsync(new MemoryStream(input)))
        {
            summary = (await JsonDocument.ParseAsync(output)).RootElement.Clone();
        }

        var csvBytes = (await _run.Objects.HeadAsync(LocalRun.Bucket, summary.GetProperty("rejectionsKey").GetString()!))!.Size;
        var reportBytes = (await _run.Objects.HeadAsync(LocalRun.Bucket, summary.GetProperty("reportKey").GetString()!))!.Size;
        Assert.Equal(Records, summary.GetProperty("counts").GetProperty("rejected").GetInt64());
        Assert.Equal(Records, await CountRowsInOrderAsync(summary.GetProperty("rejectionsKey").GetString()!));

        _output.WriteLine($"{Records:N0} rejected records: CSV {csvBytes:N0} bytes, report {reportBytes:N0} bytes; live heap grew by up to {objects.PeakGrowth:N0} bytes (at {objects.PeakAt}), {objects.Calls} store calls.");

        // A summary that kept the records would hold at least the CSV's text (and its parsed rows and the report)
        // at once; this one holds a few records, buffers and the counts per reason.
        Assert.True(objects.Calls >= 6, $"{objects.Calls} store calls measured");
        Assert.True(
            objects.PeakGrowth < csvBytes / 4,
            $"The live heap grew by up to {objects.PeakGrowth:N0} bytes (at {objects.PeakAt}) for a CSV of {csvBytes:N0} bytes and a report of {reportBytes:N0}.");
    }

    public void Dispose()
    {
        _run.Dispose();
        _folder.Dispose();
    }

    /// <summary>The file in incoming/, registered, and its batches validated and stored by the real functions, their results written out of order.</summary>
    private async Task<(string File, string Map)> PrepareAsync()
    {
        var source = _folder.Combine("students.jsonl");
        await using (var writer = new StreamWriter(source))
        {
            for (var i = 0; i < Records; i++)
            {
                // No '@': every record is rejected with EMAIL_INVALID.
                await writer.WriteLineAsync($$"""{"StudentID":"S{{i:D7}}","Name":"Student {{i}}","Department":"Mathematics","Email":"student{{i}}.example.edu"}""");
            }
        }

        await using (var content = File.OpenRead(source))
        {
            await _run.Objects.PutAsync(LocalRun.Bucket, "incoming/students.jsonl", content);
        }

        var size = new FileInfo(source).Length;
        var registration = await LocalRun.CallAsync(_run.Register.HandleAsync, $$"""{"event":{{LocalRun.ObjectCreatedEvent("incoming/students.jsonl", size)}},"executionName":"exec-memory"}""");
        var file = registration.GetProperty("file").GetRawText();
        var prefix = registration.GetProperty("file").GetProperty("resultPrefix").GetString()!;

        // The ResultWriter lists batches as they finish: here the odd ones first, then the even ones, in one result file.
        var lines = File.ReadLines(source).ToList();
        var batches = (lines.Count + BatchSize - 1) / BatchSize;
        var order = Enumerable.Range(0, batches).Where(b => b % 2 == 1).Concat(Enumerable.Range(0, batches).Where(b => b % 2 == 0));
        var results = _folder.Combine("SUCCEEDED_0.json");
        await using (var writer = new StreamWriter(results))
        {
            await writer.WriteAsync('[');
            var first = true;
            foreach (var batch in order)
            {
                var start = batch * BatchSize;
                var items = string.Join(",", Enumerable.Range(start, Math.Min(BatchSize, lines.Count - start)).Select(i => $$"""{"index":{{i}},"record":{{lines[i]}}}"""));
                var validated = await LocalRun.CallAsync(_run.Validate.HandleAsync, $$"""{"BatchInput":{"file":{{file}}},"Items":[{{items}}]}""");
                var stored = await LocalRun.CallAsync(_run.StoreFunction.HandleAsync, validated.GetRawText());
                await writer.WriteAsync($$"""{{(first ? "" : ",")}}{"counts":{{stored.GetProperty("counts").GetRawText()}},"rejected":{{stored.GetProperty("rejected").GetRawText()}},"notified":0}""");
                first = false;
            }

            await writer.WriteAsync(']');
        }

        var folder = $"{prefix}/map-run";
        await using (var content = File.OpenRead(results))
        {
            await _run.Objects.PutAsync(LocalRun.Bucket, $"{folder}/SUCCEEDED_0.json", content);
        }

        var manifest = $$"""{"DestinationBucket":"{{LocalRun.Bucket}}","ResultFiles":{"FAILED":[],"PENDING":[],"SUCCEEDED":[{"Key":"{{folder}}/SUCCEEDED_0.json"}] } }""";
        await _run.Objects.PutAsync(LocalRun.Bucket, $"{folder}/manifest.json", new MemoryStream(Encoding.UTF8.GetBytes(manifest)));
        return (file, $$"""{"ResultWriterDetails":{"Bucket":"{{LocalRun.Bucket}}","Key":"{{folder}}/manifest.json"} }""");
    }

    /// <summary>The CSV's rows, checked to be in the file's order (rows 1, 2, 3…: a JSON Lines record's row is its line).</summary>
    private async Task<long> CountRowsInOrderAsync(string key)
    {
        await using var content = await _run.Objects.GetAsync(LocalRun.Bucket, key);
        using var reader = new StreamReader(content.Content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        Assert.StartsWith("Row,Rejected StudentID,Reasons,Messages,StudentID,Name,Department,Email", await reader.ReadLineAsync(), StringComparison.Ordinal);
        var rows = 0L;
        while (await reader.ReadLineAsync() is { } line)
        {
            rows++;
            Assert.StartsWith($"{rows},S{rows - 1:D7},EMAIL_INVALID (Email),", line, StringComparison.Ordinal);
        }

        return rows;
    }

    /// <summary>The folder store, taking the live heap (after a full collection) at every call.</summary>
    private sealed class HeapMeasuringStore(IObjectStore inner) : IObjectStore
    {
        private readonly Lock _gate = new();
        private long _baseline;

        public int Calls { get; private set; }

        public long PeakGrowth { get; private set; }

        public string PeakAt { get; private set; } = "";

        public void Start()
        {
            _baseline = GC.GetTotalMemory(forceFullCollection: true);
            (Calls, PeakGrowth, PeakAt) = (0, 0, "");
        }

        public Task<ObjectInfo?> HeadAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken = default) =>
            Measure(() => inner.HeadAsync(bucket, key, versionId, cancellationToken), key);

        public Task<ObjectContent> GetAsync(string bucket, string key, string? versionId = null, CancellationToken cancellationToken = default) =>
            Measure(() => inner.GetAsync(bucket, key, versionId, cancellationToken), key);

        public Task<ObjectInfo> PutAsync(string bucket, string key, Stream content, CancellationToken cancellationToken = default) =>
            Measure(() => inner.PutAsync(bucket, key, content, cancellationToken), key);

        public IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, CancellationToken cancellationToken = default)
        {
            Record(prefix);
            return inner.ListAsync(bucket, prefix, cancellationToken);
        }

        public Task<ObjectInfo> MoveAsync(string bucket, string sourceKey, string destinationKey, string? sourceVersionId, CancellationToken cancellationToken = default) =>
            Measure(() => inner.MoveAsync(bucket, sourceKey, destinationKey, sourceVersionId, cancellationToken), sourceKey);

        private Task<T> Measure<T>(Func<Task<T>> call, string key, [CallerMemberName] string operation = "")
        {
            Record($"{operation} {key}");
            return call();
        }

        private void Record(string where)
        {
            lock (_gate)
            {
                Calls++;
                var growth = GC.GetTotalMemory(forceFullCollection: true) - _baseline;
                if (growth > PeakGrowth)
                {
                    (PeakGrowth, PeakAt) = (growth, where);
                }
            }
        }
    }
}

[CollectionDefinition(RejectionsMemoryTests.Name, DisableParallelization = true)]
public sealed class HeapMeasuringRun;
