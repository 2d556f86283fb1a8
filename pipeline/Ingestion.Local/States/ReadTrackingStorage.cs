using System.Collections.Concurrent;
using Ingestion.States.Storage;

namespace Ingestion.Local.States;

/// <summary>
/// Counts the bytes an ItemReader has pulled from each object version it reads, so progress can tell how far into
/// a file the Distributed Map is before the file's student count is known. One counter per read; no per-record work.
/// </summary>
internal sealed class ReadTrackingStorage(IObjectStorage inner) : IObjectStorage
{
    private readonly ConcurrentDictionary<string, ReadCounter> _reads = new(StringComparer.Ordinal);

    /// <summary>Bytes read so far of this object version (0 before its reader opens it).</summary>
    public long BytesRead(string bucket, string key, string? versionId) =>
        _reads.TryGetValue(Id(bucket, key, versionId), out var counter) ? Interlocked.Read(ref counter.Bytes) : 0;

    /// <summary>Forgets a version's counter once its run is over.</summary>
    public void Forget(string bucket, string key, string? versionId) => _reads.TryRemove(Id(bucket, key, versionId), out _);

    public async Task<Stream> OpenReadAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken)
    {
        var stream = await inner.OpenReadAsync(bucket, key, versionId, cancellationToken);
        var counter = _reads.AddOrUpdate(Id(bucket, key, versionId), _ => new ReadCounter(), (_, _) => new ReadCounter());
        return new CountingReadStream(stream, counter);
    }

    public Task<string> PutAsync(string bucket, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        inner.PutAsync(bucket, key, content, cancellationToken);

    public IAsyncEnumerable<StoredObject> ListAsync(string bucket, string prefix, CancellationToken cancellationToken) =>
        inner.ListAsync(bucket, prefix, cancellationToken);

    private static string Id(string bucket, string key, string? versionId) => $"{bucket}/{key}#{versionId}";

    private sealed class ReadCounter
    {
        public long Bytes;
    }

    private sealed class CountingReadStream(Stream inner, ReadCounter counter) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            Interlocked.Add(ref counter.Bytes, read);
            return read;
        }
    }
}
