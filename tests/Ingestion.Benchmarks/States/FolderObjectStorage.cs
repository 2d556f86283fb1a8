using System.Runtime.CompilerServices;
using Ingestion.States.Storage;

namespace Ingestion.Benchmarks.States;

/// <summary>A bare folder store for benchmarks (bucket B, key K at ROOT/B/K): measures the interpreter, not an adapter.</summary>
internal sealed class FolderObjectStorage(string root) : IObjectStorage
{
    public Task<Stream> OpenReadAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(Path.Combine(root, bucket, key), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));

    public async Task<string> PutAsync(string bucket, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = Path.Combine(root, bucket, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, content.ToArray(), cancellationToken);
        return "\"etag\"";
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, bucket), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var key = Path.GetRelativePath(Path.Combine(root, bucket), file).Replace('\\', '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                var info = new FileInfo(file);
                yield return new StoredObject(key, "\"etag\"", info.LastWriteTimeUtc, info.Length);
            }
        }
    }
}

/// <summary>A scratch folder removed afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("states-bench-").FullName;

    public string PathOf(string bucket, string key) => Path.Combine(Root, bucket, key);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
