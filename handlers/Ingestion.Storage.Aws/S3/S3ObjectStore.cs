using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Ingestion.Domain.Storage;

namespace Ingestion.Storage.Aws.S3;

/// <summary>How an <see cref="S3ObjectStore"/> works.</summary>
public sealed record S3ObjectStoreOptions
{
    /// <summary>Keys per ListObjectsV2 page (S3 gives at most 1,000).</summary>
    public int ListPageSize { get; init; } = 1000;

    /// <summary>The LastModified a put reports (S3's PutObject answer has none, and a HEAD would need another permission).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>The <see cref="IObjectStore"/> on AWS: S3 (or an S3-compatible server), one client for every bucket.</summary>
/// <remarks>
/// <para>
/// Keys and bucket names pass <see cref="ObjectKey"/> first, as in the folder store; listings skip keys it refuses
/// (the console's <c>incoming/</c> "folder" objects) and stream page by page, each page in UTF-8 byte order. ETags lose their quotes. Content streams both ways: a get
/// hands out the response stream, a put sends the caller's stream (one that cannot seek is spooled to a temporary
/// file first: S3 needs the length up front). Every put sends <c>UseChunkEncoding = false</c>: some S3-compatible
/// servers store aws-chunked framing inside the object.
/// </para>
/// <para>
/// Version ids: on a versioned bucket, S3's own. On an unversioned one S3 has none, so every put also stores a
/// fresh id in the object's metadata (<c>x-amz-meta-ingest-version-id</c>) and that is the version, as in the
/// folder store; an object written by someone else has its ETag as its version (handlers/README.md). A get of a
/// version S3 cannot look up by id is answered from the current object when its version is the one asked for.
/// </para>
/// <para>
/// Move is CopyObject (that exact version, new metadata id) then DeleteObject of that version. Servers whose
/// CopyObject cannot read the SDK's URL-encoded copy source (s3rver answers <c>NoSuchBucket</c> for a bucket that
/// exists) fall back to a get and a put; the store notices once and remembers.
/// </para>
/// </remarks>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    /// <summary>The user metadata that holds the version id on unversioned buckets.</summary>
    public const string VersionMetadata = "ingest-version-id";

    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly S3ObjectStoreOptions _options;
    private volatile bool _copyUnsupported;

    /// <param name="ownsClient">Whether disposing the store disposes <paramref name="client"/>.</param>
    public S3ObjectStore(IAmazonS3 client, S3ObjectStoreOptions? options = null, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _ownsClient = ownsClient;
        _options = options ?? new S3ObjectStoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.ListPageSize, 1);
    }

    /// <summary>Whether this store found that its server cannot copy and moves by get and put.</summary>
    public bool MovesByGetAndPut => _copyUnsupported;

    public Task<ObjectInfo?> HeadAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        HeadAsync(bucket, key, null, cancellationToken);

    public async Task<ObjectInfo?> HeadAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken = default) =>
        await HeadResponseAsync(bucket, key, versionId, cancellationToken) is { } head
            ? Info(bucket, key, head.ETag, head.VersionId, head.Metadata, head.ContentLength, head.LastModified)
            : null;

    public async Task<ObjectContent> GetAsync(string bucket, string key, string? versionId = null, CancellationToken cancellationToken = default)
    {
        Validate(bucket, key);
        GetObjectResponse response;
        try
        {
            response = await Guard(bucket, () => _client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId }, cancellationToken));
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "NoSuchKey" || (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is not "NoSuchVersion"))
        {
            throw new ObjectNotFoundException(bucket, key, versionId);
        }
        catch (AmazonS3Exception e) when (versionId is not null && e.ErrorCode is "NoSuchVersion" or "InvalidArgument")
        {
            // Not an S3 version id (the bucket is unversioned, the id is ours or an ETag): the current object may be it.
            try
            {
                response = await Guard(bucket, () => _client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken));
            }
            catch (AmazonS3Exception missing) when (missing.StatusCode == HttpStatusCode.NotFound)
            {
                throw new ObjectNotFoundException(bucket, key, versionId);
            }
        }

        var info = Info(bucket, key, response.ETag, response.VersionId, response.Metadata, response.ContentLength, response.LastModified);
        if (versionId is not null && !string.Equals(versionId, info.VersionId, StringComparison.Ordinal))
        {
            // A server that ignores versionId (s3rver) answers with the current object: not the version asked for.
            response.Dispose();
            throw new ObjectNotFoundException(bucket, key, versionId);
        }

        return new ObjectContent(info, new OwningStream(response.ResponseStream, response));
    }

    public async Task<ObjectInfo> PutAsync(string bucket, string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        Validate(bucket, key);
        if (content.CanSeek)
        {
            return await PutSeekableAsync(bucket, key, content, metadata: null, contentType: null, cancellationToken);
        }

        await using var spool = await SpoolAsync(content, cancellationToken);
        return await PutSeekableAsync(bucket, key, spool, metadata: null, contentType: null, cancellationToken);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectKey.ValidateBucket(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        string? token = null;
        do
        {
            var page = await Guard(bucket, () => _client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = bucket,
                Prefix = prefix,
                MaxKeys = _options.ListPageSize,
                ContinuationToken = token,
            }, cancellationToken));
            // S3 lists in UTF-8 byte order; s3rver in the order it walks its folders. Ordering each page costs S3
            // nothing and makes a server like s3rver right for any listing that fits in one page.
            var entries = (page.S3Objects ?? []).Where(e => ObjectKey.TryValidate(e.Key, out _)).ToList();
            entries.Sort((a, b) => ObjectKey.CompareUtf8(a.Key, b.Key));
            foreach (var entry in entries)
            {
                yield return new ObjectInfo(bucket, entry.Key, Unquoted(entry.ETag), null, entry.Size ?? 0, ToOffset(entry.LastModified));
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    public Task<ObjectInfo> MoveAsync(string bucket, string sourceKey, string destinationKey, CancellationToken cancellationToken = default) =>
        MoveAsync(bucket, sourceKey, destinationKey, null, cancellationToken);

    public async Task<ObjectInfo> MoveAsync(string bucket, string sourceKey, string destinationKey, string? sourceVersionId, CancellationToken cancellationToken = default)
    {
        Validate(bucket, destinationKey);
        var source = await HeadResponseAsync(bucket, sourceKey, sourceVersionId, cancellationToken)
            ?? throw new ObjectNotFoundException(bucket, sourceKey, sourceVersionId);
        var s3Version = RealVersion(source.VersionId);
        var moved = _copyUnsupported
            ? await CopyByGetAndPutAsync(bucket, sourceKey, s3Version, destinationKey, cancellationToken)
            : await CopyAsync(bucket, sourceKey, source, destinationKey, cancellationToken);

        // Exactly the version copied: a newer upload under the source key in the meantime stays where it is.
        await Guard(bucket, () => _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = sourceKey, VersionId = s3Version }, cancellationToken));
        return moved;
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>
    /// HEAD of the current object when it is the version asked for (S3's own version id, or ours from the metadata
    /// on a server without versions), else of that S3 version; null when there is no such object or version.
    /// </summary>
    private async Task<GetObjectMetadataResponse?> HeadResponseAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken)
    {
        Validate(bucket, key);
        GetObjectMetadataResponse? current = null;
        try
        {
            current = await Guard(bucket, () => _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // A HEAD's 404 has no body: a missing bucket looks like a missing key. Tell them apart.
            await EnsureBucketAsync(bucket, cancellationToken);
        }

        if (versionId is null
            || current is not null && string.Equals(Info(bucket, key, current.ETag, current.VersionId, current.Metadata, null, null).VersionId, versionId, StringComparison.Ordinal))
        {
            return current;
        }

        if (RealVersion(versionId) is null)
        {
            return null;
        }

        try
        {
            var version = await Guard(bucket, () => _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key, VersionId = versionId }, cancellationToken));
            return string.Equals(RealVersion(version.VersionId), versionId, StringComparison.Ordinal) ? version : null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            // No such version, or not an S3 version id at all (an ETag standing in for one).
            return null;
        }
    }

    private static void Validate(string bucket, string key)
    {
        ObjectKey.ValidateBucket(bucket);
        ObjectKey.Validate(key);
    }

    private async Task<ObjectInfo> CopyAsync(string bucket, string sourceKey, GetObjectMetadataResponse source, string destinationKey, CancellationToken cancellationToken)
    {
        var request = new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = sourceKey,
            SourceVersionId = RealVersion(source.VersionId),
            DestinationBucket = bucket,
            DestinationKey = destinationKey,
            // A copy is a new version: a new id in the metadata, the rest of the metadata as it was.
            MetadataDirective = S3MetadataDirective.REPLACE,
            ContentType = source.Headers.ContentType,
        };
        foreach (var name in source.Metadata.Keys)
        {
            request.Metadata[name] = source.Metadata[name];
        }

        var newVersion = NewVersionId();
        request.Metadata[VersionMetadata] = newVersion;
        try
        {
            var copied = await Guard(bucket, () => _client.CopyObjectAsync(request, cancellationToken));
            var version = RealVersion(copied.VersionId) ?? newVersion;
            return new ObjectInfo(bucket, destinationKey, Unquoted(copied.ETag ?? source.ETag), version, source.ContentLength, _options.Clock.GetUtcNow());
        }
        catch (Exception e) when (e is StorageResourceMissingException || e is AmazonS3Exception { ErrorCode: "NoSuchKey" })
        {
            if (!await ExistsAsync(bucket, sourceKey, cancellationToken))
            {
                throw new ObjectNotFoundException(bucket, sourceKey);
            }

            // The bucket answered the HEAD a moment ago and the source is still there: the server misread the copy
            // source (s3rver does not decode the SDK's %2F). Move by get and put from now on.
            _copyUnsupported = true;
        }

        return await CopyByGetAndPutAsync(bucket, sourceKey, RealVersion(source.VersionId), destinationKey, cancellationToken);
    }

    private async Task<ObjectInfo> CopyByGetAndPutAsync(string bucket, string sourceKey, string? s3Version, string destinationKey, CancellationToken cancellationToken)
    {
        GetObjectResponse response;
        try
        {
            response = await Guard(bucket, () => _client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = sourceKey, VersionId = s3Version }, cancellationToken));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ObjectNotFoundException(bucket, sourceKey, s3Version);
        }

        using (response)
        {
            var metadata = response.Metadata.Keys.ToDictionary(k => k, k => response.Metadata[k], StringComparer.Ordinal);
            await using var spool = await SpoolAsync(response.ResponseStream, cancellationToken);
            return await PutSeekableAsync(bucket, destinationKey, spool, metadata, response.Headers.ContentType, cancellationToken);
        }
    }

    private async Task<ObjectInfo> PutSeekableAsync(string bucket, string key, Stream content, Dictionary<string, string>? metadata, string? contentType, CancellationToken cancellationToken)
    {
        var size = content.Length - content.Position;
        var version = NewVersionId();
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = content,
            AutoCloseStream = false,
            AutoResetStreamPosition = false,
            // Some S3-compatible servers (s3rver) store aws-chunked framing inside the object.
            UseChunkEncoding = false,
            ContentType = contentType,
        };
        foreach (var (name, value) in metadata ?? [])
        {
            request.Metadata[name] = value;
        }

        request.Metadata[VersionMetadata] = version;
        var response = await Guard(bucket, () => _client.PutObjectAsync(request, cancellationToken));
        return new ObjectInfo(bucket, key, Unquoted(response.ETag), RealVersion(response.VersionId) ?? version, size, _options.Clock.GetUtcNow());
    }

    private async Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        // ListObjectsV2 names the error (NoSuchBucket); a HEAD of the bucket would answer a bare 404 again.
        await Guard(bucket, () => _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1 }, cancellationToken));
    }

    private static async Task<Stream> SpoolAsync(Stream content, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), "ingest-spool-" + Guid.NewGuid().ToString("N"));
        var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        try
        {
            await content.CopyToAsync(spool, cancellationToken);
            spool.Position = 0;
            return spool;
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
    }

    private Task<T> Guard<T>(string bucket, Func<Task<T>> call) =>
        AwsErrors.Guard(new AwsResource("S3 bucket", bucket, AwsConnection.Describe(_client.Config), "create it, or name an existing bucket (--bucket)"), call);

    private static ObjectInfo Info(string bucket, string key, string etag, string? versionId, MetadataCollection metadata, long? size, DateTime? lastModified)
    {
        var unquoted = Unquoted(etag);
        var version = RealVersion(versionId) ?? (metadata[VersionMetadata] is { Length: > 0 } ours ? ours : unquoted);
        return new ObjectInfo(bucket, key, unquoted, version, size ?? 0, ToOffset(lastModified));
    }

    /// <summary>S3's version id, or null where there is none (unversioned buckets answer nothing, or "null" once versioning was suspended).</summary>
    private static string? RealVersion(string? versionId) => versionId is { Length: > 0 } and not "null" ? versionId : null;

    private static string NewVersionId() => Guid.NewGuid().ToString("N");

    private static string Unquoted(string? etag) => etag is null ? string.Empty : etag.Trim('"');

    private static DateTimeOffset ToOffset(DateTime? time) => time is { } t
        ? new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime(), TimeSpan.Zero)
        : DateTimeOffset.MinValue;

    /// <summary>The response stream, disposing the response with it.</summary>
    private sealed class OwningStream(Stream inner, IDisposable owner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

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
                owner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
