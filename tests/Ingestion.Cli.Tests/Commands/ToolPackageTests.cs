using System.Diagnostics;

namespace Ingestion.Cli.Tests.Commands;

/// <summary><c>ingest</c> installed as README says: packed as a .NET tool, installed from the folder, run by its name.</summary>
public sealed class ToolPackageTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <remarks>
    /// Slow (a pack and an install, about half a minute): one test for the whole path. The package is packed from the
    /// build this test project already made, and installed with a NuGet cache and configuration of its own, so it
    /// neither reaches a feed nor meets an older package of the same version.
    /// </remarks>
    [Fact]
    public async Task The_packed_tool_installs_and_runs_as_ingest()
    {
        var packages = Path.Combine(_cli.Root, "packages");
        var tools = Path.Combine(_cli.Root, "tools");
        var config = Path.Combine(_cli.Root, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{packages}" />
              </packageSources>
            </configuration>
            """);

        var pack = await RunAsync("dotnet", "pack", Path.Combine(RepositoryRoot(), "pipeline", "Ingestion.Cli"), "-c", Configuration, "--no-build", "-o", packages);
        Assert.True(pack.Exit == 0, pack.Out + pack.Error);
        var install = await RunAsync("dotnet", "tool", "install", "Ingestion.Cli", "--tool-path", tools, "--configfile", config);
        Assert.True(install.Exit == 0, install.Out + install.Error);
        var help = await RunAsync(Path.Combine(tools, OperatingSystem.IsWindows() ? "ingest.exe" : "ingest"), "--help");

        Assert.Equal(0, help.Exit);
        Assert.Contains("Usage:\n  ingest [command] [options]", help.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Example:\n  ingest run", help.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    private async Task<CliResult> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _cli.Root };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NUGET_PACKAGES"] = Path.Combine(_cli.Root, "nuget-cache");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>The clone's root: the folder above the test's output that holds Ingestion.sln.</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Ingestion.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Ingestion.sln above {AppContext.BaseDirectory}.");
    }
}
