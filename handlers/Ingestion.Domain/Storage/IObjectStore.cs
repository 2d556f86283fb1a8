namespace Ingestion.Domain.Storage;

/// <summary>An S3-shaped object store; the bucket is named on every call.</summary>
/// <remarks>
/// Adapters: <c>LocalFolder</c> (a folder per bucket) and, later, <c>S3</c>. Every key is checked with
/// <see cref="ObjectKey.Validate"/> before it touches storage; a bad one raises <see cref="InvalidObjectKeyException"/>.
/// </remarks>
public interface IObjectStore
{
    /// <summary>The current object's metadata, or <see langword="null"/> when there is no such object.</summary>
    Task<ObjectInfo?> HeadAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        HeadAsync(bucket, key, null, cancellationToken);

    /// <summary>The metadata of one version of the object, or <see langword="null"/> when there is no such version.</summary>
    /// <param name="versionId">The version wanted, current or not; <see langword="null"/> for the current one.</param>
    Task<ObjectInfo?> HeadAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken = default);

    /// <summary>Opens the object for streaming reads.</summary>
    /// <param name="versionId">When given, only that version is returned.</param>
    /// <exception cref="ObjectNotFoundException">No such object (or version).</exception>
    Task<ObjectContent> GetAsync(string bucket, string key, string? versionId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the stream's content under the key as a new version and returns it. The version it replaces as current
    /// is kept (as S3 with versioning does), so a reader holding its version id still reads it.
    /// </summary>
    Task<ObjectInfo> PutAsync(string bucket, string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Objects whose key starts with <paramref name="prefix"/>, in UTF-8 byte order of their keys (as ListObjectsV2).</summary>
    /// <remarks><see cref="ObjectInfo.VersionId"/> may be <see langword="null"/> in listings (S3 does not list versions).</remarks>
    IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, CancellationToken cancellationToken = default);

    /// <summary>Moves the current object to another key of the same bucket (replacing any object there) and returns the new object.</summary>
    /// <exception cref="ObjectNotFoundException">The source does not exist.</exception>
    Task<ObjectInfo> MoveAsync(string bucket, string sourceKey, string destinationKey, CancellationToken cancellationToken = default) =>
        MoveAsync(bucket, sourceKey, destinationKey, null, cancellationToken);

    /// <summary>
    /// Moves one version of an object to another key of the same bucket, as a copy of that version followed by the
    /// deletion of that version: any other version under the source key stays (the newest left becomes current).
    /// </summary>
    /// <param name="sourceVersionId">The version to move; <see langword="null"/> for the current one.</param>
    /// <exception cref="ObjectNotFoundException">The source (or that version of it) does not exist.</exception>
    Task<ObjectInfo> MoveAsync(string bucket, string sourceKey, string destinationKey, string? sourceVersionId, CancellationToken cancellationToken = default);
}

/// <summary>What S3 tells about an object version.</summary>
/// <param name="ETag">MD5 hex of the content, no quotes (as S3 gives for single-part uploads).</param>
/// <param name="VersionId">The version id; <see langword="null"/> where the store does not say (S3 listings).</param>
public sealed record ObjectInfo(string Bucket, string Key, string ETag, string? VersionId, long Size, DateTimeOffset LastModified);

/// <summary>An open object: its metadata and a stream of its content. Dispose it to release the stream.</summary>
public sealed class ObjectContent(ObjectInfo info, Stream content) : IAsyncDisposable, IDisposable
{
    public ObjectInfo Info { get; } = info;

    public Stream Content { get; } = content;

    public ValueTask DisposeAsync() => Content.DisposeAsync();

    public void Dispose() => Content.Dispose();
}

/// <summary>No object (or no such version) under the key.</summary>
public sealed class ObjectNotFoundException(string bucket, string key, string? versionId = null)
    : IngestionException(versionId is null
        ? $"No object '{key}' in bucket '{bucket}'."
        : $"No version '{versionId}' of object '{key}' in bucket '{bucket}'.")
{
    public string Bucket { get; } = bucket;

    public string Key { get; } = key;

    public string? VersionId { get; } = versionId;
}

/// <summary>A key or bucket name the stores refuse (see <see cref="ObjectKey"/>).</summary>
public sealed class InvalidObjectKeyException(string key, string reason)
    : IngestionException($"Invalid object key '{ObjectKey.Printable(key)}': {reason}.")
{
    public string Key { get; } = key;

    public string Reason { get; } = reason;
}
