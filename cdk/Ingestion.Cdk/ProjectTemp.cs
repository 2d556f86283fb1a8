using System.Diagnostics;
using System.Globalization;

namespace Ingestion.Cdk;

/// <summary>Points <c>TMPDIR</c> at a per-process folder under the repository's git-ignored <c>.tmp/jsii/</c>.</summary>
/// <remarks>
/// The jsii runtime unpacks the CDK library (~65 MB) into the temporary folder of every process that uses it and never
/// removes it. Keeping it inside the repository keeps the user's <c>/tmp</c> clean; each process removes its own folder
/// when it exits and the folders of processes that are gone. Must run before the first CDK type is touched: the jsii
/// kernel (a node child process) inherits the environment when it starts.
/// </remarks>
internal static class ProjectTemp
{
    private static readonly Lock Gate = new();
    private static string? current;

    public static string Use(RepositoryLayout layout)
    {
        lock (Gate)
        {
            if (current is not null)
            {
                return current;
            }

            var parent = Path.Combine(layout.ScratchDirectory, "jsii");
            RemoveLeftovers(parent);
            var folder = Path.Combine(parent, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            foreach (var variable in new[] { "TMPDIR", "TMP", "TEMP" })
            {
                Environment.SetEnvironmentVariable(variable, folder);
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);
            current = folder;
            return folder;
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
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Another process still holds a file: the next run removes the folder.
        }
        catch (UnauthorizedAccessException)
        {
            // Same: leftovers are removed by a later run.
        }
    }
}
