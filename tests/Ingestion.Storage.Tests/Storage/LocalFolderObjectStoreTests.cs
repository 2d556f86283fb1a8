using System.Text;
using Ingestion.Domain.Storage;
using Ingestion.Storage.Local.Folder;
using Ingestion.Storage.Local.Recovery;
using Ingestion.Testing;

namespace Ingestion.Storage.Tests.Storage;

public sealed class LocalFolderObjectStoreTests : ObjectStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();

    private LocalFolderObjectStore Store => new(_folder.Combine("s3"));

    protected override Task<IObjectStore> CreateStoreAsync() => Task.FromResult<IObjectStore>(Store);

    private string Dropped(string key, string content)
    {
        var path = _folder.Combine("s3", Bucket, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Objects_are_plain_files_under_root_bucket_key()
    {
        await Store.PutAsync(Bucket, "incoming/a.json", Text("[]"));

        Assert.Equal("[]", await File.ReadAllTextAsync(_folder.Combine("s3", "ingestion", "incoming", "a.json")));
        Assert.Equal(_folder.Combine("s3", "ingestion", "incoming", "a.json"), Store.PathOf(Bucket, "incoming/a.json"));
    }

    [Fact]
    public async Task Metadata_stays_out_of_the_bucket_folder()
    {
        await Store.PutAsync(Bucket, "incoming/a.json", Text("[]"));

        var files = Directory.GetFiles(_folder.Combine("s3", Bucket), "*", SearchOption.AllDirectories);

        Assert.Equal([_folder.Combine("s3", Bucket, "incoming", "a.json")], files);
        Assert.Single(await Store.ListAsync(Bucket, "").ToListAsync());
    }

    [Fact]
    public async Task A_file_dropped_by_hand_gets_a_stable_version_and_a_computed_etag()
    {
        Dropped("incoming/hand.json", "[1]");

        var first = await Store.HeadAsync(Bucket, "incoming/hand.json");
        var second = await Store.HeadAsync(Bucket, "incoming/hand.json");

        Assert.NotNull(first);
        Assert.Equal((Md5("[1]"), 3L), (first.ETag, first.Size));
        Assert.False(string.IsNullOrEmpty(first.VersionId));
        Assert.Equal(first, second);
        await using var content = await Store.GetAsync(Bucket, "incoming/hand.json", first.VersionId);
        Assert.Equal("[1]", await ReadAllAsync(content));
    }

    [Fact]
    public async Task A_file_changed_by_hand_gets_a_new_version_and_etag()
    {
        var put = await Store.PutAsync(Bucket, "incoming/a.json", Text("[1]"));
        var path = Store.PathOf(Bucket, "incoming/a.json");
        await File.WriteAllTextAsync(path, "[1,2]");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));

        var head = await Store.HeadAsync(Bucket, "incoming/a.json");

        Assert.NotEqual(put.VersionId, head!.VersionId);
        Assert.Equal(Md5("[1,2]"), head.ETag);
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.GetAsync(Bucket, "incoming/a.json", put.VersionId));
    }

    [Fact]
    public async Task A_reader_keeps_its_content_while_a_put_replaces_the_file()
    {
        await Store.PutAsync(Bucket, "incoming/a.json", Text("old"));
        await using var reading = await Store.GetAsync(Bucket, "incoming/a.json");

        await Store.PutAsync(Bucket, "incoming/a.json", Text("new content"));

        Assert.Equal("old", await ReadAllAsync(reading));
    }

    [Fact]
    public async Task A_failed_put_leaves_neither_a_partial_object_nor_a_temp_file()
    {
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(Bucket, "incoming/a.json", new FailingStream()));

        Assert.Null(await Store.HeadAsync(Bucket, "incoming/a.json"));
        Assert.Empty(Directory.GetFiles(_folder.Combine("s3", ".tmp")));
    }

    [Fact]
    public async Task A_key_and_a_folder_of_the_same_name_are_refused_with_a_clear_error()
    {
        await Store.PutAsync(Bucket, "incoming/a", Text("x"));
        await Store.PutAsync(Bucket, "archive/b/c.json", Text("x"));

        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.PutAsync(Bucket, "incoming/a/b.json", Text("x")));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.PutAsync(Bucket, "archive/b", Text("x")));
    }

    public static TheoryData<string> LongNames => new()
    {
        new string('a', 250) + ".json", // 255 bytes: the longest file name, whose metadata name is longer
        string.Concat(Enumerable.Repeat("é", 125)) + ".json", // 255 bytes in 130 characters
        string.Concat(Enumerable.Repeat("学", 200)) + ".json", // 605 bytes: legal in S3, too long for a file name
    };

    [Theory]
    [MemberData(nameof(LongNames))]
    public async Task A_name_up_to_s3s_limit_is_put_read_listed_moved_and_versioned(string name)
    {
        var key = "incoming/" + name;
        var first = await Store.PutAsync(Bucket, key, Text("first"));
        var second = await Store.PutAsync(Bucket, key, Text("second"));

        Assert.Equal(second, await Store.HeadAsync(Bucket, key) is { } head ? head with { LastModified = second.LastModified } : null);
        await using (var kept = await Store.GetAsync(Bucket, key, first.VersionId))
        {
            Assert.Equal("first", await ReadAllAsync(kept));
        }

        Assert.Equal([key], (await Store.ListAsync(Bucket, "incoming/").ToListAsync()).Select(o => o.Key));
        var moved = await Store.MoveAsync(Bucket, key, "archive/" + name);
        Assert.Equal(Md5("second"), moved.ETag);
        Assert.Equal([key], (await Store.ListAsync(Bucket, "incoming/" + name[..3]).ToListAsync()).Select(o => o.Key)); // the first version, current again
        Assert.Equal(["archive/" + name], (await Store.ListAsync(Bucket, "archive/").ToListAsync()).Select(o => o.Key));
        Assert.All(Directory.EnumerateFileSystemEntries(_folder.Path, "*", SearchOption.AllDirectories), entry =>
            Assert.InRange(Encoding.UTF8.GetByteCount(Path.GetFileName(entry)), 1, 255));
    }

    [Fact]
    public async Task A_name_that_fits_is_its_own_file_name_whatever_its_length()
    {
        var name = new string('a', 250) + ".json";
        await Store.PutAsync(Bucket, "incoming/" + name, Text("[]"));

        Assert.Equal("[]", await File.ReadAllTextAsync(_folder.Combine("s3", Bucket, "incoming", name)));
        Dropped("incoming/" + new string('b', 250) + ".json", "[1]");
        Assert.Equal(2, await Store.ListAsync(Bucket, "incoming/").CountAsync());
    }

    [Fact]
    public async Task A_key_named_like_a_shortened_name_never_shares_its_file()
    {
        var longKey = "incoming/" + new string('x', 300);
        await Store.PutAsync(Bucket, longKey, Text("long"));
        var shortened = Path.GetFileName(Assert.Single(Directory.GetFiles(_folder.Combine("s3", Bucket, "incoming"))));
        var lookalike = "incoming/" + shortened;

        await Store.PutAsync(Bucket, lookalike, Text("lookalike"));

        await using (var content = await Store.GetAsync(Bucket, longKey))
        {
            Assert.Equal("long", await ReadAllAsync(content));
        }

        await using (var content = await Store.GetAsync(Bucket, lookalike))
        {
            Assert.Equal("lookalike", await ReadAllAsync(content));
        }

        Assert.Equal(new[] { longKey, lookalike }.Order(StringComparer.Ordinal), (await Store.ListAsync(Bucket, "incoming/").ToListAsync()).Select(o => o.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_file_dropped_under_a_shortened_looking_name_without_its_metadata_is_no_object_under_another_key()
    {
        await Store.PutAsync(Bucket, "incoming/" + new string('x', 300), Text("long"));
        var shortened = Assert.Single(Directory.GetFiles(_folder.Combine("s3", Bucket, "incoming")));
        File.Copy(shortened, Path.Combine(Path.GetDirectoryName(shortened)!, "y" + Path.GetFileName(shortened)[1..]));

        Assert.Equal(["incoming/" + new string('x', 300)], (await Store.ListAsync(Bucket, "incoming/").ToListAsync()).Select(o => o.Key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData(".meta")]
    [InlineData("Ingestion")]
    [InlineData("a/b")]
    public async Task Bad_bucket_names_are_refused(string bucket)
    {
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.PutAsync(bucket, "incoming/a.json", Text("x")));
    }

    [Fact]
    public async Task Nothing_is_written_outside_the_root()
    {
        var outside = Directory.GetFileSystemEntries(_folder.Path).Length;

        foreach (var key in new[] { "../x.json", "incoming/../../x.json" })
        {
            await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.PutAsync(Bucket, key, Text("x")));
        }

        Assert.Equal(outside, Directory.GetFileSystemEntries(_folder.Path).Length);
    }

    [Fact]
    public async Task Every_put_stays_readable_by_its_version_until_that_version_is_moved()
    {
        var older = await Store.PutAsync(Bucket, "incoming/a.json", Text("[1]"));
        var newer = await Store.PutAsync(Bucket, "incoming/a.json", Text("[2]"));

        Assert.Equal(older, await Store.HeadAsync(Bucket, "incoming/a.json", older.VersionId));
        await using (var content = await Store.GetAsync(Bucket, "incoming/a.json", older.VersionId))
        {
            Assert.Equal("[1]", await ReadAllAsync(content));
        }

        // Moving the older version leaves the newer one current; moving that leaves nothing.
        await Store.MoveAsync(Bucket, "incoming/a.json", "archive/a.json", older.VersionId);
        Assert.Equal(newer.VersionId, (await Store.HeadAsync(Bucket, "incoming/a.json"))?.VersionId);
        Assert.Null(await Store.HeadAsync(Bucket, "incoming/a.json", older.VersionId));
        await Store.MoveAsync(Bucket, "incoming/a.json", "archive/a.json", newer.VersionId);
        Assert.Null(await Store.HeadAsync(Bucket, "incoming/a.json"));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.MoveAsync(Bucket, "incoming/a.json", "archive/a.json", newer.VersionId));
    }

    [Fact]
    public async Task Moving_the_current_version_away_makes_the_newest_one_left_current_again()
    {
        var older = await Store.PutAsync(Bucket, "incoming/a.json", Text("[1]"));
        var newer = await Store.PutAsync(Bucket, "incoming/a.json", Text("[2]"));

        await Store.MoveAsync(Bucket, "incoming/a.json", "archive/a.json", newer.VersionId);

        Assert.Equal(older.VersionId, (await Store.HeadAsync(Bucket, "incoming/a.json"))?.VersionId);
        Assert.Equal("[1]", await File.ReadAllTextAsync(Store.PathOf(Bucket, "incoming/a.json")));
        Assert.Single(await Store.ListAsync(Bucket, "incoming/").ToListAsync());
    }

    [Fact]
    public async Task Puts_of_one_key_at_once_from_many_stores_keep_every_version()
    {
        var puts = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => new LocalFolderObjectStore(_folder.Combine("s3")).PutAsync(Bucket, "incoming/a.json", Text($"[{i}]")))));

        for (var i = 0; i < puts.Length; i++)
        {
            await using var content = await Store.GetAsync(Bucket, "incoming/a.json", puts[i].VersionId);
            Assert.Equal($"[{i}]", await ReadAllAsync(content));
        }
    }

    [Fact]
    public async Task A_fifo_under_an_object_name_is_no_object_and_never_blocks_a_reader()
    {
        var path = _folder.Combine("s3", Bucket, "incoming", "pipe.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        Assert.Null(await Store.HeadAsync(Bucket, "incoming/pipe.json"));
        Assert.Empty(await Store.ListAsync(Bucket, "incoming/").ToListAsync());
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.GetAsync(Bucket, "incoming/pipe.json"));
    }

    [Fact]
    public void A_copy_left_in_tmp_by_an_ended_process_is_removed_and_one_a_running_process_writes_stays()
    {
        var self = LocalProcess.Current;
        // This process's id with another start time: the id reused, the writer long gone.
        var ended = self with { StartedAt = self.StartedAt.AddDays(-2) };
        var abandoned = _folder.Combine("s3", ".tmp", ended.Tag + ".abandoned");
        var writing = _folder.Combine("s3", ".tmp", self.Tag + ".writing");
        var unknown = _folder.Combine("s3", ".tmp", "not-a-tag");
        Directory.CreateDirectory(Path.GetDirectoryName(abandoned)!);
        foreach (var path in new[] { abandoned, writing, unknown })
        {
            File.WriteAllText(path, "half a file");
        }

        Assert.Equal(1, Store.RemoveAbandonedUploads());

        Assert.Equal((false, true, true), (File.Exists(abandoned), File.Exists(writing), File.Exists(unknown)));
    }

    [Fact]
    public void A_process_tag_names_the_process_and_a_tag_of_another_host_counts_as_running()
    {
        var self = LocalProcess.Current;

        Assert.Equal(self.Pid, LocalProcess.OfTag(self.Tag)!.Pid);
        Assert.True(LocalProcess.OfTag(self.Tag)!.IsRunning);
        // Started in 1970, so not this process; but on another host, which cannot be checked from here.
        Assert.True(LocalProcess.OfTag($"{self.Pid}-0-00000000")!.IsRunning);
        Assert.False(LocalProcess.OfTag(self.Tag.Replace($"-{self.StartedAt.ToUnixTimeMilliseconds()}-", "-0-", StringComparison.Ordinal))!.IsRunning);
        Assert.Null(LocalProcess.OfTag("3f2a9c"));
    }

    public void Dispose() => _folder.Dispose();

    private sealed class FailingStream : Stream
    {
        private int _reads;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_reads++ > 0)
            {
                throw new IOException("connection reset");
            }

            Encoding.UTF8.GetBytes("partial").CopyTo(buffer, offset);
            return 7;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
