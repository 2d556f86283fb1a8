using Ingestion.Local.Tests.Support;
using Ingestion.States;
using Ingestion.Tools.Synthetic;

namespace Ingestion.Local.Tests.Pipeline;

/// <summary>Files of many batches: counts, progress, log volume, and a batch that fails within the tolerated share.</summary>
public sealed class LargeFileTests
{
    private const int Students = 3_000;

    /// <summary>The definition's MaxItemsPerBatch.</summary>
    private const int BatchSize = 80;

    [Theory]
    [InlineData(ExportFormat.Json, "export.json")]
    [InlineData(ExportFormat.JsonLines, "export.jsonl")]
    [InlineData(ExportFormat.Csv, "export.csv")]
    public async Task Every_record_of_a_many_batch_file_is_accounted_for(ExportFormat format, string name)
    {
        await using var test = TestPipeline.Create();
        var (path, export) = Write(test, name, format);

        var run = await test.Pipeline.StartFileAsync(path);
        var result = await run.CompleteAsync();

        Assert.Equal("SUCCEEDED", result.Status);
        Assert.Equal(Students, result.Counts.Received);
        Assert.Equal(export.Invalid, result.Counts.Rejected);
        Assert.Equal(Students - export.Invalid, result.Counts.Created);
        Assert.True(result.Counts.IsBalanced);
        Assert.Equal(result.Counts.Created, await test.Pipeline.Outbox.CountAsync(test.Pipeline.Resources.StudentEventsTopicArn));
        var progress = run.Progress;
        Assert.Equal(IngestPhase.Finished, progress.Phase);
        Assert.Equal((long)Students, progress.Total);
        Assert.Equal(Students, progress.StudentsProcessed);
        Assert.Equal(new FileInfo(path).Length, progress.BytesRead);
    }

    [Fact]
    public async Task Logs_grow_per_batch_not_per_record()
    {
        await using var test = TestPipeline.Create();
        var (path, _) = Write(test, "export.json", ExportFormat.Json);

        await test.IngestAsync(path);

        var batches = (int)Math.Ceiling(Students / (double)BatchSize);
        Assert.InRange(File.ReadLines(test.Pipeline.Data.HandlersLog).Count(), batches, (2 * batches) + 10);
        Assert.InRange(File.ReadLines(test.Pipeline.Data.MetricsLog).Count(), batches, batches + 20);
    }

    [Fact]
    public async Task A_batch_that_keeps_failing_within_the_tolerated_share_is_reported_failed_the_rest_stored_and_the_file_kept()
    {
        // Retries wait on the pipeline clock: a virtual one makes the six back-offs instant.
        await using var test = TestPipeline.Create(options => options with
        {
            Clock = new VirtualTimeProvider(DateTimeOffset.UtcNow),
            Functions = (name, function) => name == "StoreStudents"
                ? async (input, ct) =>
                {
                    using var copy = new MemoryStream();
                    await input.CopyToAsync(copy, ct);
                    // The batch holding record 0 always fails: 80 of 3,000 records, under the 10% tolerated.
                    return System.Text.Encoding.UTF8.GetString(copy.ToArray()).Contains("\"index\":0,", StringComparison.Ordinal)
                        ? throw new IOException("disk on fire")
                        : await function(new MemoryStream(copy.ToArray()), ct);
                }
                : function,
        });
        var (path, export) = Write(test, "export.jsonl", ExportFormat.JsonLines);

        var result = await test.IngestAsync(path);

        // The map tolerates the failure, the run does not: failed records keep the file in incoming/, FAILED and retryable.
        Assert.Equal(ExecutionStatus.Failed, result.ExecutionStatus);
        Assert.Equal(("FAILED", "RecordsFailed"), (result.Status, result.Error));
        Assert.NotNull(await test.Pipeline.Objects.HeadAsync(LocalPipeline.Bucket, "incoming/export.jsonl"));
        Assert.Null(await test.Pipeline.Objects.HeadAsync(LocalPipeline.Bucket, "archive/export.jsonl"));
        Assert.Equal(BatchSize, result.Counts.Failed);
        Assert.True(result.Counts.IsBalanced);
        var failed = (await test.ReportAsync("export.jsonl")).GetProperty("failed").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, BatchSize).Select(i => (long)i), failed.Select(f => f.GetProperty("index").GetInt64()));
        Assert.All(failed, f => Assert.Equal("IOException", f.GetProperty("error").GetString()));
        Assert.Null(await test.Pipeline.Students.GetAsync("S00000001"));
        Assert.Equal(Students - result.Counts.Failed, result.Counts.Created + result.Counts.Rejected);
        Assert.InRange(result.Counts.Rejected, 1, export.Invalid);
    }

    private static (string Path, SyntheticExport Export) Write(TestPipeline test, string name, ExportFormat format)
    {
        var path = test.WriteFile(name, string.Empty);
        using var output = File.Create(path);
        return (path, SyntheticStudents.Write(output, Students, format));
    }
}
