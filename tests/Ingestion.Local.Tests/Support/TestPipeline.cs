using System.Text.Json;
using Ingestion.Domain.Storage;
using Ingestion.Storage.Local.Outbox;

namespace Ingestion.Local.Tests.Support;

/// <summary>A local pipeline over a fresh temporary data folder, deleted afterwards.</summary>
public sealed class TestPipeline : IAsyncDisposable
{
    private TestPipeline(string root, LocalPipeline pipeline)
    {
        Root = root;
        Pipeline = pipeline;
    }

    public string Root { get; }

    public LocalPipeline Pipeline { get; }

    public static TestPipeline Create(Func<LocalPipelineOptions, LocalPipelineOptions>? configure = null)
    {
        var root = Directory.CreateTempSubdirectory("ingest-local-").FullName;
        var options = LocalPipelineOptions.ForDataDirectory(Path.Combine(root, "data"));
        return new TestPipeline(root, LocalPipeline.Open(configure?.Invoke(options) ?? options));
    }

    /// <summary>A sample batch from testdata/, copied next to the tests.</summary>
    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "testdata", name);

    /// <summary>Writes a file into the temporary folder (outside the data folder), to ingest it.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Root, "files", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public Task<FileRunResult> IngestAsync(string path) => Pipeline.IngestFileAsync(path);

    public async Task<List<OutboxEntry>> OutboxAsync(string topicName) =>
        await Pipeline.Outbox.ListAsync(Pipeline.Resources.TopicArn(topicName)).ToListAsync();

    public async Task<List<StoredStudent>> StudentsAsync() => await Pipeline.Students.ListAsync().ToListAsync();

    public async Task<JsonElement> ReportAsync(string nameOrKey)
    {
        using var report = await Pipeline.ReadReportAsync(nameOrKey) ?? throw new InvalidOperationException($"No report for {nameOrKey}.");
        return report.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await Pipeline.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
