namespace Ingestion.States.Storage;

/// <summary>
/// The object store port Distributed Map reads items from and writes results to: S3's semantics
/// (buckets, keys, versions, prefix listings). The host plugs in S3 or a local folder.
/// </summary>
public interface IObjectStorage
{
    /// <summary>Opens an object for streaming read; throws <see cref="ObjectNotFoundException"/> when absent.</summary>
    Task<Stream> OpenReadAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken);

    /// <summary>Stores an object (replacing it) and returns its ETag.</summary>
    Task<string> PutAsync(string bucket, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Lists objects whose key starts with <paramref name="prefix"/>, in key order.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(string bucket, string prefix, CancellationToken cancellationToken);
}

/// <summary>An entry of a listing, with the fields S3's ListObjectsV2 returns.</summary>
public sealed record StoredObject(string Key, string ETag, DateTimeOffset LastModified, long Size, string StorageClass = "STANDARD");

/// <summary>Raised by a store when the bucket, key or version does not exist (S3's NoSuchKey).</summary>
public sealed class ObjectNotFoundException(string bucket, string key)
    : Exception($"The object s3://{bucket}/{key} does not exist.")
{
    public string Bucket { get; } = bucket;

    public string Key { get; } = key;
}
