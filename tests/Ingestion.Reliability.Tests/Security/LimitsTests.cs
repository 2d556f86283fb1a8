using Ingestion.Domain.Storage;
using Ingestion.Local;
using Ingestion.Reliability.Tests.Support;

namespace Ingestion.Reliability.Tests.Security;

/// <summary>
/// The size limits hold before memory is spent: a file over MAX_FILE_BYTES is refused without a byte of it read, and
/// a record larger than the readers' 16 MiB item limit stops the read there, whatever the file's size.
/// </summary>
public sealed class LimitsTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task A_file_over_the_size_limit_is_quarantined_without_a_byte_of_it_read()
    {
        var reads = new ReadCounter();
        await using var scenario = LocalScenario.Create(options => options with { Adapters = reads.Wrap }, new Dictionary<string, string> { ["MAX_FILE_BYTES"] = MiB.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var path = Path.Combine(scenario.Root, "big.jsonl");
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Repeat("{\"StudentID\":\"S-1\",\"Name\":\"A Name\",\"Department\":\"Physics\",\"Email\":\"a@example.edu\"}\n", 40_000)));

        var result = await scenario.Pipeline.IngestFileAsync(path);

        Assert.Equal("QUARANTINED", result.Status);
        Assert.Contains("FILE_TOO_LARGE", result.Cause, StringComparison.Ordinal);
        Assert.Equal(0, reads.BytesRead("incoming/big.jsonl"));
        Assert.NotNull(await scenario.HeadAsync("quarantine/big.jsonl"));
    }

    public static TheoryData<string, string, string> OversizedRecords => new()
    {
        { "one-record.json", "[{\"StudentID\":\"S-1\",\"Name\":\"", "an item is larger than 16777216 bytes" },
        { "one-line.jsonl", "{\"StudentID\":\"S-1\",\"Name\":\"", "an item is larger than 16777216 bytes" },
        { "one-row.csv", "StudentID,Name,Department,Email\nS-1,\"", "a row is longer than 16777216 characters" },
    };

    [Theory]
    [MemberData(nameof(OversizedRecords))]
    public async Task A_record_over_the_item_limit_stops_the_read_at_the_limit(string name, string start, string problem)
    {
        var reads = new ReadCounter();
        await using var scenario = LocalScenario.Create(options => options with { Adapters = reads.Wrap });
        // 40 MiB of one field that never ends: without the limit it would all be buffered.
        var path = Path.Combine(scenario.Root, name);
        await using (var file = File.Create(path))
        {
            await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(start));
            var chunk = new byte[MiB];
            Array.Fill(chunk, (byte)'a');
            for (var i = 0; i < 40; i++)
            {
                await file.WriteAsync(chunk);
            }
        }

        var result = await scenario.Pipeline.IngestFileAsync(path);

        Assert.Equal("QUARANTINED", result.Status);
        Assert.Contains(problem, result.Cause, StringComparison.Ordinal);
        Assert.InRange(reads.BytesRead("incoming/" + name), 16 * MiB, 17 * MiB);
    }

    /// <summary>Counts the bytes read from each object through the pipeline's object store.</summary>
    private sealed class ReadCounter
    {
        private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);

        public LocalAdapters Wrap(LocalAdapters real) => real with { Objects = new CountingObjectStore(real.Objects, this) };

        public long BytesRead(string key)
        {
            lock (_bytes)
            {
                return _bytes.GetValueOrDefault(key);
            }
        }

        private void Add(string key, long count)
        {
            lock (_bytes)
            {
                _bytes[key] = _bytes.GetValueOrDefault(key) + count;
            }
        }

        private sealed class CountingObjectStore(IObjectStore inner, ReadCounter counter) : IObjectStore
        {
            public async Task<ObjectContent> GetAsync(string bucket, string key, string? versionId = null, CancellationToken cancellationToken = default)
            {
                var content = await inner.GetAsync(bucket, key, versionId, cancellationToken);
                return new ObjectContent(content.Info, new CountingStream(content.Content, n => counter.Add(key, n)));
            }

            public Task<ObjectInfo?> HeadAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken = default) => inner.HeadAsync(bucket, key, versionId, cancellationToken);

            public Task<ObjectInfo> PutAsync(string bucket, string key, Stream content, CancellationToken cancellationToken = default) => inner.PutAsync(bucket, key, content, cancellationToken);

            public IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(bucket, prefix, cancellationToken);

            public Task<ObjectInfo> MoveAsync(string bucket, string sourceKey, string destinationKey, string? sourceVersionId, CancellationToken cancellationToken = default) => inner.MoveAsync(bucket, sourceKey, destinationKey, sourceVersionId, cancellationToken);
        }

        private sealed class CountingStream(Stream inner, Action<long> read) : Stream
        {
            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => inner.Length;

            public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => Count(await inner.ReadAsync(buffer, cancellationToken));

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

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

            private int Count(int n)
            {
                read(n);
                return n;
            }
        }
    }
}
