using System.Diagnostics;

namespace Ingestion.Cdk.Tests.Support;

/// <summary>The npm tools package.json pins, installed with <c>npm ci</c> when <c>node_modules</c> is missing.</summary>
/// <remarks>
/// Several test projects may find node_modules missing at once; a lock file under <c>.tmp/</c> lets one of them run
/// <c>npm ci</c> while the others wait. Without node or npm the tests fail with a message that says so: a check that
/// cannot run never passes.
/// </remarks>
internal static class NodeTools
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    public static string Require(RepositoryLayout layout, string relativeScript)
    {
        var script = Path.Combine(layout.Root, "node_modules", relativeScript);
        if (File.Exists(script))
        {
            return script;
        }

        Directory.CreateDirectory(layout.ScratchDirectory);
        using (AcquireLock(Path.Combine(layout.ScratchDirectory, "npm-ci.lock")))
        {
            if (!File.Exists(script))
            {
                var (exitCode, output) = Run("npm", ["ci", "--no-audit", "--no-fund"], layout.Root, InstallTimeout);
                if (exitCode != 0)
                {
                    throw new InvalidOperationException($"node_modules is missing and 'npm ci' failed (exit code {exitCode}):\n{output}");
                }
            }
        }

        return File.Exists(script)
            ? script
            : throw new InvalidOperationException($"'npm ci' ran but '{script}' is still missing: is it in package.json?");
    }

    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{file}'.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{file}' is needed for this test and could not be started: {e.Message}", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"'{file} {string.Join(' ', arguments)}' did not finish within {timeout}.");
            }

            return (process.ExitCode, output.Result + errors.Result);
        }
    }

    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow + InstallTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(500));
            }
        }
    }
}
