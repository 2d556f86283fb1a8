using System.Collections.Concurrent;

namespace Ingestion.Storage.Local.Folder;

/// <summary>
/// A lock over a whole folder store, held across processes: an exclusive open of a lock file (an advisory
/// <c>flock</c> on Unix, a sharing lock on Windows), released when the process lets go of it or dies.
/// </summary>
/// <remarks>
/// Held only for renames and small metadata writes (never while content is copied), so waiting for it is short.
/// Threads of one process (any store instance over the same folder) queue on one semaphore first, so they do not
/// poll the file against each other.
/// </remarks>
internal sealed class FolderLock(string path)
{
    private const int SharingViolation = 32; // ERROR_SHARING_VIOLATION: how .NET reports a file locked elsewhere.

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> InProcess = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _inProcess = InProcess.GetOrAdd(Path.GetFullPath(path), _ => new SemaphoreSlim(1, 1));

    public async Task<Held> AcquireAsync(CancellationToken cancellationToken)
    {
        await _inProcess.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return new Held(this, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
                }
                catch (IOException e) when ((e.HResult & 0xFFFF) == SharingViolation)
                {
                    // Another process holds it for a rename or two: try again shortly.
                    await Task.Delay(Math.Min(attempt, 20), cancellationToken);
                }
            }
        }
        catch
        {
            _inProcess.Release();
            throw;
        }
    }

    /// <summary>The lock, until disposed.</summary>
    public sealed class Held(FolderLock owner, FileStream file) : IDisposable
    {
        public void Dispose()
        {
            file.Dispose();
            owner._inProcess.Release();
        }
    }
}
