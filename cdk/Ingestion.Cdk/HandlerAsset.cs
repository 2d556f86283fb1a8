using System.Diagnostics;

namespace Ingestion.Cdk;

/// <summary>Builds the Lambda functions' code: <c>dotnet publish</c> of the handlers' project for linux-arm64.</summary>
/// <remarks>
/// Framework-dependent (the managed <c>dotnet10</c> runtime supplies .NET), so the zip holds only our assembly and its
/// packages. <c>--artifacts-path</c> gives the publish its own obj/bin folders (next to the output, suffixed
/// <c>-build</c>): a runtime-specific restore would otherwise rewrite the handlers' <c>project.assets.json</c> under the
/// feet of the team's ordinary builds, and two publishes to different outputs never share intermediate files.
/// </remarks>
internal static class HandlerAsset
{
    public const string RuntimeIdentifier = "linux-arm64";

    /// <summary>Publishes into <paramref name="outputDirectory"/> (emptied first) and returns it.</summary>
    public static string Publish(RepositoryLayout layout, string outputDirectory)
    {
        if (Directory.Exists(outputDirectory))
        {
            // A file removed from the project must not linger in the zip.
            Directory.Delete(outputDirectory, recursive: true);
        }

        var start = new ProcessStartInfo(DotnetExecutable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = layout.Root,
        };
        foreach (var argument in new[]
        {
            "publish", layout.HandlersProject,
            "--configuration", "Release",
            "--runtime", RuntimeIdentifier,
            "--self-contained", "false",
            "--output", outputDirectory,
            "--artifacts-path", Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDirectory)) + "-build",
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
                $"'dotnet publish' of the handlers failed (exit code {process.ExitCode}):{Environment.NewLine}{output.Result}{errors.Result}");
        }

        var assembly = Path.Combine(outputDirectory, "Ingestion.Functions.dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"'dotnet publish' succeeded but produced no '{assembly}'.");
        }

        return outputDirectory;
    }

    private static string DotnetExecutable() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
