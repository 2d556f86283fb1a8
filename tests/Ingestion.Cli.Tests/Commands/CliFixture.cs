using System.Text.Json;
using Ingestion.Local;

namespace Ingestion.Cli.Tests.Commands;

/// <summary>Runs <c>ingest</c> in-process against a temporary data folder, capturing what it prints.</summary>
public sealed class CliFixture : IDisposable
{
    public CliFixture()
    {
        Root = Directory.CreateTempSubdirectory("ingest-cli-").FullName;
        DataDir = Path.Combine(Root, "data");
    }

    public string Root { get; }

    public string DataDir { get; }

    /// <summary>Environment variables the command sees (nothing from the real environment).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "testdata", name);

    /// <summary>Runs the command line with <c>--data-dir</c> set to the fixture's folder.</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunRawAsync([.. args, "--data-dir", DataDir]);

    /// <summary>Runs the command line as given.</summary>
    /// <param name="configure">Adjusts the pipeline (a hook that observes it, say).</param>
    /// <param name="stop">What the first Ctrl+C cancels.</param>
    public async Task<CliResult> RunRawAsync(string[] args, Func<LocalPipelineOptions, LocalPipelineOptions>? configure = null, CancellationToken stop = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var host = new CliHost { Out = output, Error = error, GetVariable = name => Environment.GetValueOrDefault(name), Configure = configure };
        var exit = await CliRunner.InvokeAsync(args, host, stop);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs the command line with <c>--data-dir</c>, its output going to a terminal of <paramref name="width"/> columns.</summary>
    public Task<CliResult> RunOnTerminalAsync(int width, params string[] args) => RunRawOnTerminalAsync(width, [.. args, "--data-dir", DataDir]);

    /// <summary>Runs the command line as given, its output going to a terminal of <paramref name="width"/> columns.</summary>
    public async Task<CliResult> RunRawOnTerminalAsync(int width, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var host = new CliHost { Out = output, Error = error, OutIsTerminal = true, TerminalWidth = width, GetVariable = name => Environment.GetValueOrDefault(name) };
        var exit = await CliRunner.InvokeAsync(args, host);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Root, "files", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public sealed record CliResult(int Exit, string Out, string Error)
{
    public IReadOnlyList<string> Lines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Each output line as a JSON document.</summary>
    public IReadOnlyList<JsonElement> JsonLines => [.. Lines.Select(line => JsonDocument.Parse(line).RootElement.Clone())];
}
