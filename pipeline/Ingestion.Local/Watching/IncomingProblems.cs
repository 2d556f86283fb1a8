using Ingestion.Domain.Storage;
using Ingestion.Storage.Local.Folder;

namespace Ingestion.Local.Watching;

/// <summary>
/// Files in the local bucket's <c>incoming/</c> folder that are no object of it, each with why and what to do. The
/// folder store does not list them (S3 could hold no such key), so the nightly sync would pass them by in silence;
/// <c>ingest sync</c> reports them, as <c>ingest watch</c> does.
/// </summary>
public static class IncomingProblems
{
    public const string NotUtf8 = "The file's name is not valid UTF-8, so it cannot be an S3 key: rename it and it will be ingested.";

    public const string NotRegular = "Not a regular file (a FIFO, socket or device): skipped, as opening it could wait forever.";

    public const string Link = "A symbolic link, which the local bucket never follows: put the file itself here.";

    /// <summary>Every such file under <paramref name="data"/>'s <c>incoming/</c>, by key (as .NET reads the name back), in key order.</summary>
    public static IReadOnlyList<(string Key, string Problem)> Find(LocalDataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var folder = data.IncomingFolder;
        var found = new List<(string Key, string Problem)>();
        if (!Directory.Exists(folder))
        {
            return found;
        }

        var bucketFolder = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(folder))!;
        foreach (var path in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }))
        {
            var key = Path.GetRelativePath(bucketFolder, path).Replace(Path.DirectorySeparatorChar, '/');
            var problem = Problem(key, path);
            if (problem is not null)
            {
                found.Add((key, problem));
            }
        }

        found.Sort((a, b) => ObjectKey.CompareUtf8(a.Key, b.Key));
        return found;
    }

    /// <summary>Why the file at <paramref name="path"/> (key <paramref name="key"/>) is no object; null when it is one.</summary>
    public static string? Problem(string key, string path)
    {
        // A name that is not UTF-8 comes back with U+FFFD in it, and no file has that name.
        if (key.Contains('\uFFFD', StringComparison.Ordinal) && !File.Exists(path) && !Directory.Exists(path))
        {
            return NotUtf8;
        }

        if (!ObjectKey.TryValidate(key, out var reason))
        {
            return $"The name cannot be an S3 key ({reason}): rename it and it will be ingested.";
        }

        if (new FileInfo(path).LinkTarget is not null)
        {
            return Link;
        }

        return RegularFiles.Is(path) ? null : NotRegular;
    }
}
