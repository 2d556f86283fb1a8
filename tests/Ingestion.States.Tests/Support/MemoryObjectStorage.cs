using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Ingestion.States.Json;
using Ingestion.States.Storage;

namespace Ingestion.States.Tests.Support;

/// <summary>An in-memory object store for case files: <c>"bucket/key"</c> → text or JSON.</summary>
internal sealed class MemoryObjectStorage : IObjectStorage
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);

    public IEnumerable<string> Keys => _objects.Keys.Order(StringComparer.Ordinal);

    public static MemoryObjectStorage From(JObject bucket)
    {
        var storage = new MemoryObjectStorage();
        foreach (var (path, content) in bucket)
        {
            storage._objects[path] = content switch
            {
                JString text => Encoding.UTF8.GetBytes(text.Value),
                // {"base64": "…"} holds bytes JSON text cannot (invalid UTF-8).
                JObject o when o.Get("base64") is JString b64 => Convert.FromBase64String(b64.Value),
                _ => content.ToUtf8Bytes(),
            };
        }

        return storage;
    }

    public void Put(string path, byte[] content) => _objects[path] = content;

    public string Text(string path) => Encoding.UTF8.GetString(_objects[path]);

    public bool TryGet(string path, out JValue value)
    {
        if (_objects.TryGetValue(path, out var bytes))
        {
            value = JValue.Parse(bytes);
            return true;
        }

        value = JValue.Null;
        return false;
    }

    public Task<Stream> OpenReadAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken) =>
        _objects.TryGetValue($"{bucket}/{key}", out var bytes)
            ? Task.FromResult<Stream>(new MemoryStream(bytes, writable: false))
            : throw new ObjectNotFoundException(bucket, key);

    public Task<string> PutAsync(string bucket, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        _objects[$"{bucket}/{key}"] = content.ToArray();
        return Task.FromResult(ETag(content.Span));
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var path in Keys)
        {
            if (path.StartsWith($"{bucket}/{prefix}", StringComparison.Ordinal))
            {
                var bytes = _objects[path];
                yield return new StoredObject(path[(bucket.Length + 1)..], ETag(bytes), new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), bytes.Length);
            }
        }
    }

#pragma warning disable CA5351 // S3's ETag of a single-part upload is the MD5 of the content.
    private static string ETag(ReadOnlySpan<byte> content) => "\"" + Convert.ToHexStringLower(MD5.HashData(content)) + "\"";
#pragma warning restore CA5351
}
