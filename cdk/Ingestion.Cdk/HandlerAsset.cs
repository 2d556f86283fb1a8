using System.Diagnostics;

namespace Ingestion.Cdk;

/// <summary>
/// Builds the Lambda functions' code: a Native AOT <c>dotnet publish</c> of the bootstrap for linux-arm64, and a
/// folder holding only its <c>bootstrap</c> executable (the <c>provided.al2023</c> package).
/// </summary>
/// <remarks>
/// <para>
/// Cross-compiled on an x86_64 machine with build/CrossCompile.targets (tools: build/install-aot-tools.sh). Debug
/// symbols (<c>bootstrap.dbg</c>) and <c>.pdb</c> files stay in the build folder, never in the package.
/// </para>
/// <para>
/// The build folder is fixed (<c>.tmp/bootstrap-build</c>, its own obj/bin through <c>--artifacts-path</c>, so the
/// team's ordinary builds are never disturbed), so a second publish of unchanged sources skips the native compilation
/// (a minute or more). A lock file serializes publishes from concurrent processes (test assemblies run in parallel).
/// </para>
/// </remarks>
internal static class HandlerAsset
{
    public const string RuntimeIdentifier = "linux-arm64";

    /// <summary>The executable Lambda's custom runtime starts: the only file of the package.</summary>
    public const string ExecutableName = "bootstrap";

    /// <summary>Publishes the bootstrap and copies it alone into <paramref name="outputDirectory"/> (emptied first); returns that folder.</summary>
    public static string Publish(RepositoryLayout layout, string outputDirectory)
    {
        var build = Path.Combine(layout.ScratchDirectory, "bootstrap-build");
        Directory.CreateDirectory(build);
        var published = Path.Combine(build, "publish");
        using (AcquireLock(Path.Combine(build, ".lock")))
        {
            RunPublish(layout, build, published);
        }

        if (Directory.Exists(outputDirectory))
        {
            // A file removed from the package must not linger in the zip.
            Directory.Delete(outputDirectory, recursive: true);
        }

        Directory.CreateDirectory(outputDirectory);
        // File.Copy keeps the executable bit, which the CDK keeps in the zip and Lambda needs.
        File.Copy(Path.Combine(published, ExecutableName), Path.Combine(outputDirectory, ExecutableName));
        return outputDirectory;
    }

    private static void RunPublish(RepositoryLayout layout, string build, string published)
    {
        var start = new ProcessStartInfo(DotnetExecutable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = layout.Root,
        };
        foreach (var argument in new[]
        {
            "publish", layout.BootstrapProject,
            "--configuration", "Release",
            "--runtime", RuntimeIdentifier,
            "--output", published,
            "--artifacts-path", Path.Combine(build, "artifacts"),
            "--nologo",
        })
        {
            start.ArgumentList.Add(argument);
        }

        // Set when this process itself runs under MSBuild or the test host; a nested build must find its own SDK.
        foreach (var variable in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(variable);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start 'dotnet publish'.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'dotnet publish' of the bootstrap failed (exit code {process.ExitCode}; cross-compiling needs build/install-aot-tools.sh):"
                + $"{Environment.NewLine}{output.Result}{errors.Result}");
        }

        if (!File.Exists(Path.Combine(published, ExecutableName)))
        {
            throw new InvalidOperationException($"'dotnet publish' succeeded but produced no '{ExecutableName}' in '{published}'.");
        }
    }

    /// <summary>Waits for exclusive use of <paramref name="path"/> (held while the stream is open; the OS drops it if the process dies).</summary>
    private static FileStream AcquireLock(string path)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                // Another process is publishing; its result is what we want, once it is done.
                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
        }
    }

    private static string DotnetExecutable() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
