using System.ComponentModel;
using System.Diagnostics;

namespace Ingestion.Testing;

/// <summary>Node.js and the repository's npm packages (package.json, package-lock.json), for tests that run Node tools.</summary>
/// <remarks>
/// <see cref="EnsurePackages"/> runs <c>npm ci</c> once when a package is missing, under a file lock so test assemblies
/// running in parallel do not install over each other. A missing <c>node</c> or <c>npm</c>, or a failed install,
/// throws <see cref="NodeToolsException"/>: the test fails and says why, it never passes without having run.
/// </remarks>
public static class NodeTools
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);
    private static readonly object InstallGate = new();

    /// <summary>The repository root: the nearest folder above the test binaries holding package.json and Ingestion.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The packages the tests' servers come from.</summary>
    public static IReadOnlyList<string> ServerPackages { get; } = ["dynalite", "s3rver"];

    /// <summary>Makes sure <c>node_modules</c> holds <paramref name="packages"/>, running <c>npm ci</c> once if not; returns the node_modules folder.</summary>
    /// <param name="root">The folder with package.json and package-lock.json; the repository root unless a test says otherwise.</param>
    public static string EnsurePackages(IEnumerable<string> packages, string? root = null)
    {
        ArgumentNullException.ThrowIfNull(packages);
        root ??= RepositoryRoot;
        var wanted = packages.ToList();
        var modules = Path.Combine(root, "node_modules");
        if (Installed(modules, wanted))
        {
            return modules;
        }

        lock (InstallGate)
        {
            var scratch = Path.Combine(root, ".tmp");
            Directory.CreateDirectory(scratch);
            using var fileLock = AcquireLock(Path.Combine(scratch, "npm-ci.lock"));
            // Another process may have installed while this one waited for the lock.
            if (!Installed(modules, wanted))
            {
                RunNpmCi(root);
            }

            if (!Installed(modules, wanted))
            {
                throw new NodeToolsException(
                    $"npm ci finished but node_modules still lacks {string.Join(", ", wanted.Where(p => !Installed(modules, [p])))}: add them to package.json's devDependencies and package-lock.json (npm install --save-dev).");
            }
        }

        return modules;
    }

    /// <summary>Starts <c>node</c> with <paramref name="arguments"/>; a clear error when Node.js is not installed.</summary>
    /// <param name="executable">The program to start; <c>node</c> from PATH unless a test says otherwise.</param>
    public static Process StartNode(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string executable = "node")
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        try
        {
            return Process.Start(start) ?? throw new NodeToolsException("node did not start.");
        }
        catch (Win32Exception e)
        {
            throw new NodeToolsException(
                "Node.js ('node') was not found on PATH. The DynamoDB and S3 adapter tests run dynalite and s3rver under Node.js 20 or later: install it and run the tests again.", e);
        }
    }

    private static bool Installed(string modules, IEnumerable<string> packages) =>
        packages.All(p => File.Exists(Path.Combine(modules, p, "package.json")));

    private static FileStream AcquireLock(string path)
    {
        // FileShare.None is an exclusive lock between processes (flock on Unix); npm ci of this repository takes seconds.
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromMinutes(10))
            {
                Thread.Sleep(200);
            }
        }
    }

    private static void RunNpmCi(string root)
    {
        var (exitCode, output) = Run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], root, TimeSpan.FromMinutes(10),
            "npm was not found on PATH, and node_modules lacks the packages the tests need. Install Node.js 20 or later (it brings npm), or run 'npm ci' in the repository root.");
        if (exitCode != 0)
        {
            throw new NodeToolsException($"npm ci failed (exit code {exitCode}) in {root}: {Tail(output.Trim())}");
        }
    }

    /// <summary>Runs a program to its end and returns its exit code with its output and errors.</summary>
    /// <param name="missing">What to tell the user when the program is not installed.</param>
    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, string? missing = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
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
            process = Process.Start(start) ?? throw new NodeToolsException($"'{file}' did not start.");
        }
        catch (Win32Exception e)
        {
            throw new NodeToolsException(missing ?? $"'{file}' is needed for this test and was not found on PATH: {e.Message}", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new NodeToolsException($"'{file} {string.Join(' ', start.ArgumentList)}' did not finish within {timeout}: run it by hand in {workingDirectory} to see why.");
            }

            process.WaitForExit();
            return (process.ExitCode, output.Result + error.Result);
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "package.json")) && File.Exists(Path.Combine(folder.FullName, "Ingestion.sln")))
            {
                return folder.FullName;
            }
        }

        throw new NodeToolsException($"No folder above {AppContext.BaseDirectory} holds package.json and Ingestion.sln: run the tests from inside the repository.");
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : "…" + text[^2000..];
}

/// <summary>Node.js or an npm package the tests need is not there, or a Node server would not start.</summary>
public sealed class NodeToolsException(string message, Exception? innerException = null) : Exception(message, innerException);
