using System.Security.Cryptography;
using System.Text;
using Ingestion.Domain.Storage;

namespace Ingestion.Storage.Tests.Storage;

/// <summary>The semantics every <see cref="IObjectStore"/> adapter must have. Subclass it once per adapter.</summary>
public abstract class ObjectStoreContract
{
    /// <summary>A store with an existing, empty bucket named <see cref="Bucket"/>.</summary>
    protected abstract Task<IObjectStore> CreateStoreAsync();

    protected virtual string Bucket => "ingestion";

    protected static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    protected static string Md5(string text) => Md5(Encoding.UTF8.GetBytes(text));

#pragma warning disable CA5351 // S3's ETag is the MD5 of the content by definition; nothing here is security.
    protected static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
#pragma warning restore CA5351

    protected static async Task<string> ReadAllAsync(ObjectContent content)
    {
        using var reader = new StreamReader(content.Content, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task Put_returns_the_md5_etag_size_and_a_version()
    {
        var store = await CreateStoreAsync();

        var info = await store.PutAsync(Bucket, "incoming/a.json", Text("[1,2,3]"));

        Assert.Equal((Bucket, "incoming/a.json", Md5("[1,2,3]"), 7L), (info.Bucket, info.Key, info.ETag, info.Size));
        Assert.False(string.IsNullOrEmpty(info.VersionId));
        var head = await store.HeadAsync(Bucket, "incoming/a.json");
        Assert.Equal(info with { LastModified = head!.LastModified }, head);
        Assert.True(Math.Abs((head.LastModified - info.LastModified).TotalSeconds) < 2);
    }

    [Fact]
    public async Task Head_of_a_missing_object_is_null()
    {
        var store = await CreateStoreAsync();
        Assert.Null(await store.HeadAsync(Bucket, "incoming/none.json"));
    }

    [Fact]
    public async Task Get_streams_the_content_with_its_info()
    {
        var store = await CreateStoreAsync();
        var put = await store.PutAsync(Bucket, "incoming/a.json", Text("héllo"));

        await using var content = await store.GetAsync(Bucket, "incoming/a.json");

        Assert.Equal("héllo", await ReadAllAsync(content));
        Assert.Equal((put.ETag, put.VersionId, put.Size), (content.Info.ETag, content.Info.VersionId, content.Info.Size));
    }

    [Fact]
    public async Task Get_by_the_current_version_id_works()
    {
        var store = await CreateStoreAsync();
        var put = await store.PutAsync(Bucket, "incoming/a.json", Text("x"));

        await using var content = await store.GetAsync(Bucket, "incoming/a.json", put.VersionId);

        Assert.Equal("x", await ReadAllAsync(content));
    }

    [Fact]
    public async Task Get_of_a_missing_object_names_bucket_and_key()
    {
        var store = await CreateStoreAsync();

        var error = await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.GetAsync(Bucket, "incoming/none.json"));

        Assert.Equal((Bucket, "incoming/none.json"), (error.Bucket, error.Key));
        Assert.Contains("incoming/none.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_put_gives_a_new_version_even_for_the_same_content()
    {
        var store = await CreateStoreAsync();

        var first = await store.PutAsync(Bucket, "incoming/a.json", Text("same"));
        var second = await store.PutAsync(Bucket, "incoming/a.json", Text("same"));

        Assert.NotEqual(first.VersionId, second.VersionId);
        Assert.Equal(first.ETag, second.ETag);
    }

    [Fact]
    public async Task Put_replaces_the_content()
    {
        var store = await CreateStoreAsync();
        await store.PutAsync(Bucket, "incoming/a.json", Text("old content"));

        await store.PutAsync(Bucket, "incoming/a.json", Text("new"));

        await using var content = await store.GetAsync(Bucket, "incoming/a.json");
        Assert.Equal("new", await ReadAllAsync(content));
        Assert.Equal(3, content.Info.Size);
    }

    [Fact]
    public async Task Large_content_streams_through_with_the_right_etag()
    {
        var store = await CreateStoreAsync();
        var bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(42).NextBytes(bytes);

        var info = await store.PutAsync(Bucket, "incoming/big.bin", new MemoryStream(bytes));

        Assert.Equal(Md5(bytes), info.ETag);
        await using var content = await store.GetAsync(Bucket, "incoming/big.bin");
        using var copy = new MemoryStream();
        await content.Content.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task List_returns_keys_under_the_prefix_in_byte_order()
    {
        var store = await CreateStoreAsync();
        foreach (var key in new[] { "incoming/b.json", "incoming/a/x.json", "incoming/a-1.json", "archive/a.json", "incoming/\u00e9.json", "incoming2/c.json" })
        {
            await store.PutAsync(Bucket, key, Text(key));
        }

        var keys = await store.ListAsync(Bucket, "incoming/").Select(o => o.Key).ToListAsync();
        var partial = await store.ListAsync(Bucket, "incoming/a").Select(o => o.Key).ToListAsync();
        var all = await store.ListAsync(Bucket, "").Select(o => o.Key).ToListAsync();

        Assert.Equal(["incoming/a-1.json", "incoming/a/x.json", "incoming/b.json", "incoming/\u00e9.json"], keys);
        Assert.Equal(["incoming/a-1.json", "incoming/a/x.json"], partial);
        Assert.Equal(6, all.Count);
        Assert.Empty(await store.ListAsync(Bucket, "nothing/").ToListAsync());
    }

    [Fact]
    public async Task List_gives_size_and_etag()
    {
        var store = await CreateStoreAsync();
        await store.PutAsync(Bucket, "incoming/a.json", Text("abc"));

        var listed = Assert.Single(await store.ListAsync(Bucket, "incoming/").ToListAsync());

        Assert.Equal((Bucket, "incoming/a.json", 3L, Md5("abc")), (listed.Bucket, listed.Key, listed.Size, listed.ETag));
    }

    [Fact]
    public async Task Move_puts_the_content_under_the_new_key_and_removes_the_old()
    {
        var store = await CreateStoreAsync();
        await store.PutAsync(Bucket, "incoming/a.json", Text("abc"));

        var moved = await store.MoveAsync(Bucket, "incoming/a.json", "archive/a.json");

        Assert.Equal(("archive/a.json", Md5("abc"), 3L), (moved.Key, moved.ETag, moved.Size));
        Assert.Null(await store.HeadAsync(Bucket, "incoming/a.json"));
        await using var content = await store.GetAsync(Bucket, "archive/a.json");
        Assert.Equal("abc", await ReadAllAsync(content));
    }

    [Fact]
    public async Task Move_replaces_an_existing_destination()
    {
        var store = await CreateStoreAsync();
        await store.PutAsync(Bucket, "archive/a.json", Text("old"));
        await store.PutAsync(Bucket, "incoming/a.json", Text("new"));

        await store.MoveAsync(Bucket, "incoming/a.json", "archive/a.json");

        await using var content = await store.GetAsync(Bucket, "archive/a.json");
        Assert.Equal("new", await ReadAllAsync(content));
    }

    [Fact]
    public async Task Move_of_a_missing_object_throws_not_found()
    {
        var store = await CreateStoreAsync();
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.MoveAsync(Bucket, "incoming/none.json", "archive/none.json"));
    }

    public static TheoryData<string> BadKeys => new()
    {
        "",
        "../escape.json",
        "incoming/../../escape.json",
        "incoming/./a.json",
        "/etc/passwd",
        "incoming\\a.json",
        "incoming/a\0.json",
        "incoming//a.json",
        "incoming/",
        "C:/windows.json",
        "incoming/" + new string('x', 1020),
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task Bad_keys_are_refused_on_every_operation(string key)
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => store.PutAsync(Bucket, key, Text("x")));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => store.HeadAsync(Bucket, key));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => store.GetAsync(Bucket, key));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => store.MoveAsync(Bucket, "incoming/a.json", key));
    }
}
