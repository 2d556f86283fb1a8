using System.Text.Json;
using Ingestion.Domain.Storage;
using Ingestion.Local;
using Ingestion.States;
using Ingestion.Storage.Local.Outbox;

namespace Ingestion.Reliability.Tests.Support;

/// <summary>
/// A local pipeline over a fresh temporary folder (<see cref="Root"/>, holding the data folder <c>data/</c> and
/// nothing else the pipeline may touch), on a virtual clock that jumps over every Retry back-off instead of sleeping.
/// </summary>
public sealed class LocalScenario : IAsyncDisposable
{
    private LocalScenario(string root, LocalPipeline pipeline, VirtualTimeProvider clock)
    {
        Root = root;
        Pipeline = pipeline;
        Clock = clock;
    }

    /// <summary>The temporary folder: <c>data/</c> is the data folder; the rest is outside it.</summary>
    public string Root { get; }

    public string DataDir => Pipeline.Data.Root;

    public LocalPipeline Pipeline { get; }

    public VirtualTimeProvider Clock { get; }

    /// <param name="environment">Handler settings as environment variables (e.g. MAX_FILE_BYTES); nothing is read from the real environment.</param>
    public static LocalScenario Create(Func<LocalPipelineOptions, LocalPipelineOptions>? configure = null, IReadOnlyDictionary<string, string>? environment = null, string? root = null)
    {
        root ??= Directory.CreateTempSubdirectory("ingest-reliability-").FullName;
        var data = new LocalDataFolder(Path.Combine(root, "data"));
        var clock = new VirtualTimeProvider(DateTimeOffset.UtcNow);
        var settings = LocalSettings.FromEnvironment(name => environment?.GetValueOrDefault(name)) with { DataDir = data.Root };
        var options = new LocalPipelineOptions { Settings = settings, Clock = clock };
        return new LocalScenario(root, LocalPipeline.Open(configure?.Invoke(options) ?? options), clock);
    }

    /// <summary>A file of testdata/ (the corpus is under <c>bad/</c>), copied next to the tests.</summary>
    public static string TestData(string relativePath) => Path.Combine(AppContext.BaseDirectory, "testdata", relativePath);

    /// <summary>Writes a file outside the data folder, to ingest it.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Root, "files", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public async Task<List<OutboxEntry>> OutboxAsync(string topicName = "StudentEvents") =>
        await Pipeline.Outbox.ListAsync(Pipeline.Resources.TopicArn(topicName)).ToListAsync();

    public async Task<Dictionary<string, StoredStudent>> StudentsAsync() =>
        await Pipeline.Students.ListAsync().ToDictionaryAsync(s => s.StudentId, StringComparer.Ordinal);

    /// <summary>A report by its key in the bucket.</summary>
    public async Task<JsonElement> ReportAsync(string reportKey)
    {
        await using var content = await Pipeline.Objects.GetAsync(Pipeline.BucketName, reportKey);
        using var document = await JsonDocument.ParseAsync(content.Content);
        return document.RootElement.Clone();
    }

    public Task<ObjectInfo?> HeadAsync(string key) => Pipeline.Objects.HeadAsync(Pipeline.BucketName, key);

    public async ValueTask DisposeAsync()
    {
        await Pipeline.DisposeAsync();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
