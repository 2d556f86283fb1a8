using System.Diagnostics;

namespace Ingestion.Cli.Tests.Commands;

/// <summary>The built <c>ingest</c> as a user runs it: a separate process, its exit code and its output.</summary>
public sealed class ChildProcessTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<CliResult> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _cli.Root };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ingest.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("INGEST_DATA_DIR");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new CliResult(process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Run_as_a_process_ingests_into_dot_ingest_of_the_working_folder()
    {
        var result = await RunProcessAsync("run", CliFixture.TestData("students-mixed.json"), "--json");

        Assert.Equal(0, result.Exit);
        Assert.Equal(6, Assert.Single(result.JsonLines).GetProperty("created").GetInt32());
        Assert.True(File.Exists(Path.Combine(_cli.Root, ".ingest", "ingest.db")));
    }

    [Fact]
    public async Task A_missing_file_exits_2_as_a_process()
    {
        var result = await RunProcessAsync("run", "missing.json");

        Assert.Equal(2, result.Exit);
        Assert.Equal("ingest run: no such file: missing.json", result.Error.Trim());
    }
}
