using System.Globalization;
using Ingestion.Domain.Storage;
using Ingestion.Local;
using Ingestion.Local.Watching;

namespace Ingestion.Reliability.Tests.Crash;

/// <summary>
/// The test assembly's own entry point: the local pipeline, as <c>ingest run</c> or <c>ingest watch</c> composes it,
/// whose student store stops for good once a given number of batches are stored. It prints <see cref="PausedLine"/>
/// then, so a test kills it at a known point: part-way through the file, never after it ended. Two more modes stop
/// <c>ingest run</c> earlier: <c>upload</c> part-way through copying the file into the bucket, <c>uploaded</c> once
/// the copy is in the bucket and before its event is delivered.
/// </summary>
/// <remarks>
/// The test runner never calls it; <c>dotnet Ingestion.Reliability.Tests.dll pausing-ingest run|upload|uploaded|watch
/// DATA BATCHES [FILE]</c> does.
/// </remarks>
public static class Program
{
    public const string PausedLine = "paused";

    public static async Task<int> Main(string[] args)
    {
        if (args is not ["pausing-ingest", var mode and ("run" or "upload" or "uploaded" or "watch"), var data, var batchesText, .. var rest]
            || (mode != "watch" && rest.Length != 1))
        {
            await Console.Error.WriteLineAsync("usage: pausing-ingest run|upload|uploaded DATA BATCHES FILE | pausing-ingest watch DATA BATCHES");
            return 2;
        }

        var batches = int.Parse(batchesText, CultureInfo.InvariantCulture);
        var options = LocalPipelineOptions.ForDataDirectory(data) with
        {
            Adapters = adapters => adapters with
            {
                Students = new PausingStudentStore(adapters.Students, batches),
                Objects = mode is "upload" or "uploaded" ? new PausingUploadStore(adapters.Objects, midway: mode == "upload") : adapters.Objects,
            },
        };
        await using var pipeline = LocalPipeline.Open(options);
        if (mode != "watch")
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

/// <summary>Stops a put into <c>incoming/</c> for good: part-way through its copy, or once it is stored.</summary>
internal sealed class PausingUploadStore(IObjectStore inner, bool midway) : IObjectStore
{
    public async Task<ObjectInfo> PutAsync(string bucket, string key, Stream content, CancellationToken cancellationToken = default)
    {
        if (!key.StartsWith("incoming/", StringComparison.Ordinal))
        {
            return await inner.PutAsync(bucket, key, content, cancellationToken);
        }

        var stored = await inner.PutAsync(bucket, key, midway ? new PausingStream(content) : content, cancellationToken);
        Console.WriteLine(Program.PausedLine);
        await Task.Delay(Timeout.Infinite, CancellationToken.None);
        return stored;
    }

    public Task<ObjectInfo?> HeadAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken = default) => inner.HeadAsync(bucket, key, versionId, cancellationToken);

    public Task<ObjectContent> GetAsync(string bucket, string key, string? versionId = null, CancellationToken cancellationToken = default) => inner.GetAsync(bucket, key, versionId, cancellationToken);

    public IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(bucket, prefix, cancellationToken);

    public Task<ObjectInfo> MoveAsync(string bucket, string sourceKey, string destinationKey, string? sourceVersionId, CancellationToken cancellationToken = default) =>
        inner.MoveAsync(bucket, sourceKey, destinationKey, sourceVersionId, cancellationToken);

    /// <summary>Hands over the first 256 KiB, says so, then never returns from a read.</summary>
    private sealed class PausingStream(Stream inner) : Stream
    {
        private const int Before = 256 * 1024;
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_read >= Before)
            {
                Console.WriteLine(Program.PausedLine);
                await Task.Delay(Timeout.Infinite, CancellationToken.None);
            }

            var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, Before - _read)], cancellationToken);
            _read += read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
