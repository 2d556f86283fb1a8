using System.Globalization;
using Ingestion.Domain.Storage;
using Ingestion.Local;
using Ingestion.Local.Watching;

namespace Ingestion.Reliability.Tests.Crash;

/// <summary>
/// The test assembly's own entry point: the local pipeline, as <c>ingest run</c> or <c>ingest watch</c> composes it,
/// whose student store stops for good once a given number of batches are stored. It prints <see cref="PausedLine"/>
/// then, so a test kills it at a known point: part-way through the file, never after it ended.
/// </summary>
/// <remarks>
/// The test runner never calls it; <c>dotnet Ingestion.Reliability.Tests.dll pausing-ingest run|watch DATA BATCHES
/// [FILE]</c> does.
/// </remarks>
public static class Program
{
    public const string PausedLine = "paused";

    public static async Task<int> Main(string[] args)
    {
        if (args is not ["pausing-ingest", var mode and ("run" or "watch"), var data, var batchesText, .. var rest]
            || (mode == "run" && rest.Length != 1))
        {
            await Console.Error.WriteLineAsync("usage: pausing-ingest run DATA BATCHES FILE | pausing-ingest watch DATA BATCHES");
            return 2;
        }

        var batches = int.Parse(batchesText, CultureInfo.InvariantCulture);
        var options = LocalPipelineOptions.ForDataDirectory(data) with
        {
            Adapters = adapters => adapters with { Students = new PausingStudentStore(adapters.Students, batches) },
        };
        await using var pipeline = LocalPipeline.Open(options);
        if (mode == "run")
        {
            await pipeline.IngestFileAsync(rest[0]);
        }
        else
        {
            Directory.CreateDirectory(pipeline.Data.IncomingFolder);
            var watcher = new IncomingWatcher(pipeline, new IncomingWatcherOptions { Settle = TimeSpan.FromSeconds(0.2) });
            await watcher.RunAsync(null, _ => Task.CompletedTask, CancellationToken.None);
        }

        return 0;
    }
}

/// <summary>Stores the first <paramref name="batches"/> batches; every later one waits forever (until the process is killed).</summary>
internal sealed class PausingStudentStore(IStudentStore inner, int batches) : IStudentStore
{
    private int _stored;

    public async Task<IReadOnlyList<StoreOutcome>> StoreBatchAsync(StudentSource source, IReadOnlyList<IncomingStudent> students, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _stored) >= batches)
        {
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
        }

        var outcomes = await inner.StoreBatchAsync(source, students, cancellationToken);
        if (Interlocked.Increment(ref _stored) == batches)
        {
            Console.WriteLine(Program.PausedLine);
        }

        return outcomes;
    }

    public Task<StoredStudent?> GetAsync(string studentId, CancellationToken cancellationToken = default) => inner.GetAsync(studentId, cancellationToken);

    public IAsyncEnumerable<StoredStudent> ListAsync(string? department = null, CancellationToken cancellationToken = default) => inner.ListAsync(department, cancellationToken);
}
