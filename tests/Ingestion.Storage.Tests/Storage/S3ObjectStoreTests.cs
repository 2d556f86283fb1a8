using Amazon.S3;
using Amazon.S3.Model;
using Ingestion.Domain.Storage;
using Ingestion.Storage.Aws.S3;
using Ingestion.Storage.Tests.Storage.Aws;
using Ingestion.Testing;

namespace Ingestion.Storage.Tests.Storage;

/// <summary>The object store contract against s3rver: a fresh bucket per test, one server per class.</summary>
public sealed class S3ObjectStoreTests(S3rverServer server) : ObjectStoreContract, IClassFixture<S3rverServer>, IDisposable
{
    private readonly string _bucket = AwsTestClients.Unique("test");
    private readonly RecordingHttp _http = new();
    private readonly List<IAmazonS3> _clients = [];

    protected override string Bucket => _bucket;

    protected override Task<IObjectStore> CreateStoreAsync() => CreateStoreAsync(new S3ObjectStoreOptions()).ContinueWith(t => (IObjectStore)t.Result, TaskScheduler.Default);

    private async Task<S3ObjectStore> CreateStoreAsync(S3ObjectStoreOptions options)
    {
        var client = Client();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket });
        return new S3ObjectStore(client, options);
    }

    private AmazonS3Client Client()
    {
        var client = AwsTestClients.S3(server, _http);
        _clients.Add(client);
        return client;
    }

    [Fact]
    public async Task List_follows_continuation_tokens_page_by_page()
    {
        var store = await CreateStoreAsync(new S3ObjectStoreOptions { ListPageSize = 2 });
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await store.PutAsync(Bucket, $"incoming/{name}.json", Text(name));
        }

        _http.Clear();
        var keys = await store.ListAsync(Bucket, "incoming/").Select(o => o.Key).ToListAsync();

        Assert.Equal(["incoming/a.json", "incoming/b.json", "incoming/c.json", "incoming/d.json", "incoming/e.json"], keys);
        Assert.Equal(3, _http.Sent.Count(r => r.Operation.StartsWith("GET ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task List_skips_keys_the_stores_refuse()
    {
        var store = await CreateStoreAsync(new S3ObjectStoreOptions());
        var raw = Client();
        await raw.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "incoming/", ContentBody = "", UseChunkEncoding = false });
        await store.PutAsync(Bucket, "incoming/a.json", Text("x"));

        var keys = await store.ListAsync(Bucket, "incoming/").Select(o => o.Key).ToListAsync();

        Assert.Equal(["incoming/a.json"], keys);
    }

    [Fact]
    public async Task A_stream_that_cannot_seek_is_stored_whole()
    {
        var store = await CreateStoreAsync(new S3ObjectStoreOptions());
        var bytes = new byte[200_000];
        new Random(7).NextBytes(bytes);

        var info = await store.PutAsync(Bucket, "incoming/piped.bin", new ForwardOnlyStream(bytes));

        Assert.Equal((Md5(bytes), (long)bytes.Length), (info.ETag, info.Size));
        await using var content = await store.GetAsync(Bucket, "incoming/piped.bin");
        using var copy = new MemoryStream();
        await content.Content.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Put_leaves_the_callers_stream_open_and_sends_no_chunk_encoding()
    {
        var store = await CreateStoreAsync(new S3ObjectStoreOptions());
        using var content = Text("[1]");
        _http.Clear();

        await store.PutAsync(Bucket, "incoming/a.json", content);

        Assert.True(content.CanRead);
        var put = Assert.Single(_http.Sent, r => r.Operation.StartsWith("PUT ", StringComparison.Ordinal));
        Assert.Equal("[1]", put.Body);
    }

    [Fact]
    public async Task An_object_written_by_someone_else_has_its_etag_as_version()
    {
        var store = await CreateStoreAsync(new S3ObjectStoreOptions());
        await Client().PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "incoming/console.json", ContentBody = "[]", UseChunkEncoding = false });

        var head = await store.HeadAsync(Bucket, "incoming/console.json");

        Assert.Equal(Md5("[]"), head!.VersionId);
        await using var content = await store.GetAsync(Bucket, "incoming/console.json", head.VersionId);
        Assert.Equal("[]", await ReadAllAsync(content));
    }

    [Fact]
    public async Task Get_of_a_replaced_version_is_not_found()
    {
        var store = await CreateStoreAsync(new S3ObjectStoreOptions());
        var first = await store.PutAsync(Bucket, "incoming/a.json", Text("old"));
        await store.PutAsync(Bucket, "incoming/a.json", Text("new"));

        var error = await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.GetAsync(Bucket, "incoming/a.json", first.VersionId));

        Assert.Equal(first.VersionId, error.VersionId);
    }

    [Fact]
    public async Task Move_gives_the_destination_a_new_version_and_keeps_the_metadata_version_out_of_the_source()
    {
        var store = await CreateStoreAsync(new S3ObjectStoreOptions());
        var put = await store.PutAsync(Bucket, "incoming/a.json", Text("abc"));

        var moved = await store.MoveAsync(Bucket, "incoming/a.json", "archive/a.json");

        Assert.NotEqual(put.VersionId, moved.VersionId);
        Assert.Equal(moved.VersionId, (await store.HeadAsync(Bucket, "archive/a.json"))!.VersionId);
    }

    [Fact]
    public async Task Move_on_s3rver_falls_back_to_get_and_put_once_it_sees_copy_fail()
    {
        // s3rver's CopyObject misreads the SDK's URL-encoded copy source (RECIPES): the store notices and remembers.
        var store = await CreateStoreAsync(new S3ObjectStoreOptions());
        await store.PutAsync(Bucket, "incoming/a.json", Text("a"));
        await store.PutAsync(Bucket, "incoming/b.json", Text("b"));

        await store.MoveAsync(Bucket, "incoming/a.json", "archive/a.json");
        _http.Clear();
        await store.MoveAsync(Bucket, "incoming/b.json", "archive/b.json");

        Assert.True(store.MovesByGetAndPut);
        Assert.DoesNotContain(_http.Sent, r => r.Operation.StartsWith("PUT ", StringComparison.Ordinal) && r.Body.Length == 0);
        Assert.Equal(["archive/a.json", "archive/b.json"], await store.ListAsync(Bucket, "").Select(o => o.Key).ToListAsync());
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 4096));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
