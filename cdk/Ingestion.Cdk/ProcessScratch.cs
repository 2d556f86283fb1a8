using System.Diagnostics;
using System.Globalization;

namespace Ingestion.Cdk;

/// <summary>Per-process scratch folders <c>&lt;parent&gt;/&lt;pid&gt;/…</c> whose leftovers are swept by later processes.</summary>
/// <remarks>
/// A process cannot always clean up after itself (jsii keeps files open until exit, a test run may be killed), so
/// every process removes the folders of processes that are gone before it creates its own.
/// </remarks>
internal static class ProcessScratch
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Swept = new(StringComparer.Ordinal);

    /// <summary>Creates (empty) <c>&lt;parent&gt;/&lt;this pid&gt;/&lt;name&gt;</c>, or the pid folder itself when no name is given.</summary>
    public static string Create(string parent, string? name = null)
    {
        lock (Gate)
        {
            if (Swept.Add(parent))
            {
                RemoveLeftovers(parent);
            }
        }

        var folder = Path.Combine(parent, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (name is not null)
        {
            folder = Path.Combine(folder, name);
        }

        TryDelete(folder);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Removes a folder made by <see cref="Create"/>, and its pid folder once that is empty.</summary>
    public static void Release(string folder)
    {
        TryDelete(folder);
        var parent = Path.GetDirectoryName(folder);
        if (parent is not null && Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any()
            && int.TryParse(Path.GetFileName(parent), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            TryDelete(parent);
        }
    }

    private static void RemoveLeftovers(string parent)
    {
        if (!Directory.Exists(parent))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(parent))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
            {
                TryDelete(folder);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Another process still holds a file: a later run removes the folder.
        }
        catch (UnauthorizedAccessException)
        {
            // Same: leftovers are removed by a later run.
        }
    }
}
