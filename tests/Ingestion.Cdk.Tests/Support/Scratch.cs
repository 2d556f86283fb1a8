using System.Diagnostics;
using System.Globalization;

namespace Ingestion.Cdk.Tests.Support;

/// <summary>Per-process folders under the repository's git-ignored <c>.tmp/cdk-tests/</c>.</summary>
/// <remarks>A fixture releases its own folder; folders of test processes that are gone are removed on the next run.</remarks>
internal static class Scratch
{
    private static readonly Lock Gate = new();
    private static bool cleaned;

    public static string Folder(RepositoryLayout layout, string name)
    {
        var parent = Path.Combine(layout.ScratchDirectory, "cdk-tests");
        lock (Gate)
        {
            if (!cleaned)
            {
                RemoveLeftovers(parent);
                cleaned = true;
            }
        }

        var folder = Path.Combine(parent, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), name);
        TryDelete(folder);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static void Release(string folder)
    {
        TryDelete(folder);
        var parent = Path.GetDirectoryName(folder)!;
        if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
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
            // Removed by a later run; clean-up never fails a test.
        }
    }
}
