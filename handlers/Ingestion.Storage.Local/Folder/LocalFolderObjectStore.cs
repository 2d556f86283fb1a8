using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ingestion.Domain.Storage;

using Ingestion.Storage.Local.Recovery;

namespace Ingestion.Storage.Local.Folder;

/// <summary>The embedded <see cref="IObjectStore"/>: bucket B, key K is the file <c>&lt;root&gt;/B/K</c>.</summary>
/// <remarks>
/// <para>
/// Version ids and ETags live outside the bucket folders, in <c>&lt;root&gt;/.meta/B/K.json</c>, so listings show
/// only the users' files. A file dropped in by hand (no metadata, or metadata of an older content) still works:
/// its version id is derived from its modification time and size (stable until the file changes) and its ETag is
/// computed on demand, then remembered.
/// </para>
/// <para>
/// Writes go to <c>&lt;root&gt;/.tmp/</c> first and are renamed into place, so a reader never sees half a file.
/// Every put gets a new version id, and every version is kept, as S3 with versioning does: the current one in the
/// bucket folder, the others in <c>&lt;root&gt;/.versions/B/K/</c>, so two uploads of one name at once both stay
/// readable by the version their events name. Moving a version deletes it from the source key, and the newest version
/// left there becomes current again. Renames between these places happen under a lock shared by every process.
/// </para>
/// <para>
/// Nothing outside the root is ever read or written: keys are checked (<see cref="ObjectKey"/>: no <c>..</c>, no
/// absolute path), and a symbolic link inside a bucket (to a file or a folder) is not followed. Reads treat a key
/// whose path goes through one as absent; writes refuse it with <see cref="InvalidObjectKeyException"/>. (A link
/// created between the check and the use is not caught: the folder's owner can do anything to it anyway.)
/// </para>
/// <para>
/// Keys keep S3's limit (1024 bytes, a segment of any length): a segment too long for a file name, or a name the store
/// derives that would be (the metadata's <c>.json</c>), is stored under a shortened name (<see cref="FolderNames"/>),
/// and listed under its key again.
/// </para>
/// </remarks>
public sealed class LocalFolderObjectStore : IObjectStore
{
    private const string MetaFolder = ".meta";
    private const string TempFolder = ".tmp";
    private const string VersionsFolder = ".versions";

    private readonly string _root;
    private readonly FolderLock _lock;

    public LocalFolderObjectStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.GetFullPath(root);
        _lock = new FolderLock(Path.Combine(_root, VersionsFolder, ".lock"));
    }

    /// <summary>The folder holding the bucket folders.</summary>
    public string Root => _root;

    /// <summary>The file that holds an object (it may not exist).</summary>
    public string PathOf(string bucket, string key)
    {
        ObjectKey.ValidateBucket(bucket);
        ObjectKey.Validate(key);
        return Path.Combine(_root, bucket, FolderNames.RelativePath(key));
    }

    public Task<ObjectInfo?> HeadAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        HeadAsync(bucket, key, null, cancellationToken);

    public Task<ObjectInfo?> HeadAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken = default)
    {
        var current = HeadCurrent(bucket, key);
        if (versionId is null || current?.VersionId == versionId)
        {
            return Task.FromResult(current);
        }

        // Not current: kept aside, or restored as current a moment ago by a move of the newer one (look again).
        var kept = ReadNoncurrent(bucket, key, versionId);
        if (kept is null && HeadCurrent(bucket, key) is { } again && again.VersionId == versionId)
        {
            kept = again;
        }

        return Task.FromResult(kept);
    }

    public Task<ObjectContent> GetAsync(string bucket, string key, string? versionId = null, CancellationToken cancellationToken = default)
    {
        var path = PathOf(bucket, key);
        if (ThroughLink(bucket, key))
        {
            throw new ObjectNotFoundException(bucket, key, versionId);
        }

        for (var look = 0; look < 2; look++)
        {
            if (OpenCurrent(bucket, key, path, versionId) is { } current)
            {
                return Task.FromResult(current);
            }

            if (versionId is null)
            {
                break;
            }

            if (OpenNoncurrent(bucket, key, versionId) is { } kept)
            {
                return Task.FromResult(kept);
            }
        }

        throw new ObjectNotFoundException(bucket, key, versionId);
    }

    public async Task<ObjectInfo> PutAsync(string bucket, string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(bucket, key);
        EnsureNoLink(bucket, key);
        EnsureNoConflict(key, path);
        var temp = NewTempPath();
        string etag;
        try
        {
#pragma warning disable CA5351 // S3's ETag is the MD5 of the content by definition; nothing here is security.
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    md5.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            etag = Convert.ToHexStringLower(md5.GetHashAndReset());
            var written = new FileInfo(temp);
            var metadata = new ObjectMetadata(NewVersionId(), etag, written.Length, written.LastWriteTimeUtc.Ticks, key);
            using (await _lock.AcquireAsync(CancellationToken.None))
            {
                EnsureNoConflict(key, path);
                KeepAsNoncurrent(bucket, key, path);
                WriteMetadata(MetadataPath(bucket, key), metadata);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.Move(temp, path, overwrite: true);
            }

            return ToInfo(bucket, key, metadata);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectKey.ValidateBucket(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        var bucketPath = Path.Combine(_root, bucket);
        var folder = prefix.LastIndexOf('/') is var slash and >= 0 ? prefix[..slash] : string.Empty;
        if (folder.Length > 0 && !ObjectKey.TryValidate(folder, out _))
        {
            yield break; // No valid key lies under an invalid folder.
        }

        var start = folder.Length == 0 ? bucketPath : Path.Combine(bucketPath, FolderNames.RelativePath(folder));
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var keys = new List<string>();
        foreach (var file in Directory.EnumerateFiles(start, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var key = KeyOf(bucket, Path.GetRelativePath(bucketPath, file));
            if (key is not null && key.StartsWith(prefix, StringComparison.Ordinal) && ObjectKey.TryValidate(key, out _) && RegularFiles.Is(file) && !ThroughLink(bucket, key))
            {
                keys.Add(key);
            }
        }

        keys.Sort(ObjectKey.CompareUtf8);
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = await HeadAsync(bucket, key, cancellationToken);
            if (info is not null)
            {
                yield return info;
            }
        }
    }

    public Task<ObjectInfo> MoveAsync(string bucket, string sourceKey, string destinationKey, CancellationToken cancellationToken = default) =>
        MoveAsync(bucket, sourceKey, destinationKey, null, cancellationToken);

    public async Task<ObjectInfo> MoveAsync(string bucket, string sourceKey, string destinationKey, string? sourceVersionId, CancellationToken cancellationToken = default)
    {
        var source = PathOf(bucket, sourceKey);
        var destination = PathOf(bucket, destinationKey);
        if (ThroughLink(bucket, sourceKey))
        {
            throw new ObjectNotFoundException(bucket, sourceKey, sourceVersionId);
        }

        EnsureNoLink(bucket, destinationKey);
        using (await _lock.AcquireAsync(cancellationToken))
        {
            EnsureNoConflict(destinationKey, destination);
            var current = HeadCurrent(bucket, sourceKey);
            var fromCurrent = current is not null && (sourceVersionId is null || current.VersionId == sourceVersionId);
            var before = fromCurrent ? current : sourceVersionId is null ? null : ReadNoncurrent(bucket, sourceKey, sourceVersionId);
            if (before is null)
            {
                throw new ObjectNotFoundException(bucket, sourceKey, sourceVersionId);
            }

            var from = fromCurrent ? source : NoncurrentPath(bucket, sourceKey, before.VersionId!);

            // As an S3 copy: a new version under the new key, same content, same ETag. Renaming keeps the mtime.
            var metadata = new ObjectMetadata(NewVersionId(), before.ETag, before.Size, File.GetLastWriteTimeUtc(from).Ticks, destinationKey);
            KeepAsNoncurrent(bucket, destinationKey, destination);
            WriteMetadata(MetadataPath(bucket, destinationKey), metadata);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            try
            {
                File.Move(from, destination, overwrite: true);
            }
            catch (FileNotFoundException)
            {
                throw new ObjectNotFoundException(bucket, sourceKey, sourceVersionId);
            }

            if (fromCurrent)
            {
                // As S3 deleting the current version: the newest version left, if any, becomes current.
                File.Delete(MetadataPath(bucket, sourceKey));
                RestoreNewestNoncurrent(bucket, sourceKey, source);
            }
            else
            {
                File.Delete(from + ".json");
            }

            return ToInfo(bucket, destinationKey, metadata);
        }
    }

    /// <summary>
    /// The key of a file in the bucket folder: its path, unless a name on it is shortened (<see cref="FolderNames"/>);
    /// then the key its metadata records, if that key's file is this one. Null for a file that is no object.
    /// </summary>
    private string? KeyOf(string bucket, string relativePath)
    {
        var names = relativePath.Split(Path.DirectorySeparatorChar);
        if (!names.Any(FolderNames.IsShortened))
        {
            return string.Join('/', names);
        }

        var recorded = ReadMetadataAt(MetadataPathOfFile(bucket, relativePath))?.Key;
        return recorded is not null && ObjectKey.TryValidate(recorded, out _) && FolderNames.RelativePath(recorded) == relativePath ? recorded : null;
    }

    private ObjectInfo? HeadCurrent(string bucket, string key)
    {
        var file = new FileInfo(PathOf(bucket, key));
        if (!RegularFiles.Is(file.FullName) || ThroughLink(bucket, key))
        {
            return null;
        }

        try
        {
            return Describe(bucket, key, file);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private ObjectContent? OpenCurrent(string bucket, string key, string path, string? versionId)
    {
        if (!RegularFiles.Is(path))
        {
            return null; // A FIFO would block the open forever; a socket or device is no object either.
        }

        FileStream stream;
        try
        {
            // FileShare.Delete: a put or move may replace the file while it is read; the reader keeps the old content.
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException && !File.Exists(path))
        {
            return null;
        }

        try
        {
            var info = Describe(bucket, key, stream);
            if (versionId is not null && !string.Equals(versionId, info.VersionId, StringComparison.Ordinal))
            {
                stream.Dispose();
                return null;
            }

            return new ObjectContent(info, stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private ObjectContent? OpenNoncurrent(string bucket, string key, string versionId)
    {
        if (ReadNoncurrent(bucket, key, versionId) is not { } info)
        {
            return null;
        }

        try
        {
            var stream = new FileStream(NoncurrentPath(bucket, key, versionId), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return new ObjectContent(info, stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // Moved on (restored as current, or moved away) since its metadata was read.
        }
    }

    // Non-current versions live outside the bucket folders, each as its content and metadata side by side:
    // <root>/.versions/B/K/<version id> and <version id>.json.
    private string NoncurrentFolder(string bucket, string key) =>
        Path.Combine(_root, VersionsFolder, bucket, FolderNames.RelativePath(key));

    private string NoncurrentPath(string bucket, string key, string versionId)
    {
        if (versionId.Length == 0 || !versionId.All(char.IsAsciiLetterOrDigit))
        {
            throw new ObjectNotFoundException(bucket, key, versionId); // Not one of ours, and never a path.
        }

        return Path.Combine(NoncurrentFolder(bucket, key), versionId);
    }

    private ObjectInfo? ReadNoncurrent(string bucket, string key, string versionId)
    {
        if (versionId.Length == 0 || !versionId.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        var path = NoncurrentPath(bucket, key, versionId);
        return ReadMetadataAt(path + ".json") is { } metadata && File.Exists(path) ? ToInfo(bucket, key, metadata) : null;
    }

    /// <summary>Under the lock: sets the key's current object (if any) aside as a non-current version.</summary>
    private void KeepAsNoncurrent(string bucket, string key, string path)
    {
        if (HeadCurrent(bucket, key) is not { } current)
        {
            return;
        }

        var kept = NoncurrentPath(bucket, key, current.VersionId!);
        Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
        WriteMetadata(kept + ".json", new ObjectMetadata(current.VersionId!, current.ETag, current.Size, current.LastModified.UtcTicks, key));
        File.Move(path, kept, overwrite: true);
    }

    /// <summary>Under the lock: makes the newest non-current version of the key its current object again.</summary>
    private void RestoreNewestNoncurrent(string bucket, string key, string path)
    {
        var folder = NoncurrentFolder(bucket, key);
        if (!Directory.Exists(folder))
        {
            return;
        }

        var newest = Directory.EnumerateFiles(folder, "*.json")
            .Select(ReadMetadataAt)
            .Where(m => m is not null && File.Exists(Path.Combine(folder, m.VersionId)))
            .MaxBy(m => m!.LastWriteTicks);
        if (newest is null)
        {
            return;
        }

        var kept = Path.Combine(folder, newest.VersionId);
        WriteMetadata(MetadataPath(bucket, key), newest);
        File.Move(kept, path, overwrite: false);
        File.Delete(kept + ".json");
    }

    /// <summary>
    /// Deletes what puts cut short by a killed process left in <c>.tmp/</c>: each temporary file is named after the
    /// process writing it (<see cref="LocalProcess.Tag"/>), and goes once that process is no longer running. Returns
    /// how many went.
    /// </summary>
    public int RemoveAbandonedUploads()
    {
        var folder = Path.Combine(_root, TempFolder);
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var removed = 0;
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            if (LocalProcess.OfTag(name[..Math.Max(0, name.LastIndexOf('.'))]) is not { IsRunning: false })
            {
                continue;
            }

            try
            {
                File.Delete(path);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone already, or not ours to delete: the next run tries again.
            }
        }

        return removed;
    }

    private static ObjectInfo ToInfo(string bucket, string key, ObjectMetadata metadata) =>
        new(bucket, key, metadata.ETag, metadata.VersionId, metadata.Size, new DateTimeOffset(metadata.LastWriteTicks, TimeSpan.Zero));

    private static string NewVersionId() => Guid.NewGuid().ToString("N");

    // A hand-dropped file's version: stable while its modification time and size stay the same.
    private static string DerivedVersionId(long lastWriteTicks, long size) =>
        "f" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{lastWriteTicks}:{size}")))[..31];

    private ObjectInfo Describe(string bucket, string key, FileInfo file)
    {
        var metadata = ReadMetadata(bucket, key);
        if (metadata is not null && metadata.Size == file.Length && metadata.LastWriteTicks == file.LastWriteTimeUtc.Ticks)
        {
            return ToInfo(bucket, key, metadata);
        }

        using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
        return Describe(bucket, key, stream);
    }

    private ObjectInfo Describe(string bucket, string key, FileStream stream)
    {
        var size = stream.Length;
        var lastWrite = File.GetLastWriteTimeUtc(stream.SafeFileHandle).Ticks;
        var metadata = ReadMetadata(bucket, key);
        if (metadata is null || metadata.Size != size || metadata.LastWriteTicks != lastWrite)
        {
#pragma warning disable CA5351 // S3's ETag is the MD5 of the content by definition; nothing here is security.
            var etag = Convert.ToHexStringLower(MD5.HashData(stream));
#pragma warning restore CA5351
            stream.Position = 0;
            metadata = new ObjectMetadata(DerivedVersionId(lastWrite, size), etag, size, lastWrite, key);
            WriteMetadata(MetadataPath(bucket, key), metadata);
        }

        return ToInfo(bucket, key, metadata);
    }

    private string MetadataPath(string bucket, string key) => MetadataPathOfFile(bucket, FolderNames.RelativePath(key));

    // The object's file name and ".json", itself kept to a file name's length: a name of 251 to 255 bytes is legal.
    private string MetadataPathOfFile(string bucket, string relativePath) =>
        Path.Combine(_root, MetaFolder, bucket, Path.GetDirectoryName(relativePath) ?? string.Empty, FolderNames.Of(Path.GetFileName(relativePath) + ".json"));

    private ObjectMetadata? ReadMetadata(string bucket, string key) => ReadMetadataAt(MetadataPath(bucket, key));

    private static ObjectMetadata? ReadMetadataAt(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return JsonSerializer.Deserialize(bytes, LocalStorageJsonContext.Default.ObjectMetadata);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    private void WriteMetadata(string path, ObjectMetadata metadata)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = NewTempPath();
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(metadata, LocalStorageJsonContext.Default.ObjectMetadata));
        File.Move(temp, path, overwrite: true);
    }

    private string NewTempPath()
    {
        var folder = Path.Combine(_root, TempFolder);
        Directory.CreateDirectory(folder);
        // Named after this process, so a later one can tell what a killed process left (RemoveAbandonedUploads).
        return Path.Combine(folder, $"{LocalProcess.Current.Tag}.{Guid.NewGuid():N}");
    }

    /// <summary>Whether the bucket folder, or any folder or file of the key's path that exists, is a symbolic link.</summary>
    private bool ThroughLink(string bucket, string key)
    {
        var path = Path.Combine(_root, bucket);
        if (IsLink(path))
        {
            return true;
        }

        foreach (var name in FolderNames.RelativePath(key).Split(Path.DirectorySeparatorChar))
        {
            path = Path.Combine(path, name);
            if (IsLink(path))
            {
                return true;
            }
        }

        return false;

        // One lstat: a separate existence check let a folder created in between read as "not found", whose cached
        // attributes are all bits set, ReparsePoint included, so a plain folder was taken for a link.
        static bool IsLink(string path)
        {
            var attributes = new FileInfo(path).Attributes;
            return (int)attributes != -1 && (attributes & FileAttributes.ReparsePoint) != 0;
        }
    }

    private void EnsureNoLink(string bucket, string key)
    {
        if (ThroughLink(bucket, key))
        {
            throw new InvalidObjectKeyException(key, "a symbolic link is on its path in the bucket folder, and the folder store never writes through one");
        }
    }

    // S3 can hold both "a" and "a/b"; a folder cannot. Say so instead of failing with an IOException.
    private void EnsureNoConflict(string key, string path)
    {
        if (Directory.Exists(path))
        {
            throw new InvalidObjectKeyException(key, "the folder store already holds objects under this key followed by '/'");
        }

        for (var parent = Path.GetDirectoryName(path); parent is not null && parent.Length > _root.Length; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                throw new InvalidObjectKeyException(key, "the folder store already holds an object named like one of this key's folders");
            }
        }
    }
}

/// <summary>What the folder store remembers of an object, outside the bucket folder.</summary>
/// <param name="Key">The object's key: the only way back to it from a shortened file name (<see cref="FolderNames"/>).</param>
internal sealed record ObjectMetadata(string VersionId, string ETag, long Size, long LastWriteTicks, string? Key = null);
