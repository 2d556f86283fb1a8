using System.Runtime.CompilerServices;
using Ingestion.Domain.Storage;
using Ingestion.States.Storage;
using Ingestion.Storage.Local.Folder;
using StatesNotFound = Ingestion.States.Storage.ObjectNotFoundException;

namespace Ingestion.Local.States;

/// <summary>
/// The interpreter's object storage port served by the handlers' object store, so Distributed
/// Map reads and writes the same folders (or S3) as the rest of the pipeline.
/// </summary>
public sealed class LocalObjectStorage(IObjectStore store) : IObjectStorage
{
    /// <summary>Buckets as folders under <c>DIR/s3</c>: bucket B, key K is <c>DIR/s3/B/K</c>.</summary>
    public static LocalObjectStorage ForDataDirectory(string dataDirectory) =>
        new(new LocalFolderObjectStore(Path.Combine(dataDirectory, "s3")));

    public async Task<Stream> OpenReadAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken)
    {
        try
        {
            var content = await store.GetAsync(bucket, key, versionId, cancellationToken);
            return content.Content;
        }
        catch (Ingestion.Domain.Storage.ObjectNotFoundException)
        {
            throw new StatesNotFound(bucket, key);
        }
    }

    public async Task<string> PutAsync(string bucket, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        // The store copies the bytes out before this returns: a stream over them, not a copy of them.
        using var stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        var info = await store.PutAsync(bucket, key, stream, cancellationToken);
        return Quoted(info.ETag);
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var info in store.ListAsync(bucket, prefix, cancellationToken))
        {
            yield return new StoredObject(info.Key, Quoted(info.ETag), info.LastModified, info.Size);
        }
    }

    // S3 wire formats (and so Step Functions' listObjectsV2 items) carry the ETag in quotes.
    private static string Quoted(string etag) => etag.StartsWith('"') ? etag : $"\"{etag}\"";
}
