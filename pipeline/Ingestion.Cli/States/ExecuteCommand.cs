using System.CommandLine;
using System.Text.Json;
using Ingestion.Cli.Output;
using Ingestion.States;
using Ingestion.States.History;
using Ingestion.States.Json;
using Ingestion.States.Mocking;
using Ingestion.States.Validation;

namespace Ingestion.Cli.States;

/// <summary>
/// <c>ingest states execute DEFINITION --input JSON|@FILE …</c>: runs one execution and prints
/// <c>{"status", "output", "error", "cause"}</c> (and <c>"history"</c>); exit 0 on SUCCEEDED,
/// 1 otherwise, 2 for an invalid definition or usage.
/// </summary>
internal static class ExecuteCommand
{
    public static Command Create()
    {
        var definition = new Argument<string>("DEFINITION") { Description = "The .asl.json definition to run.", Arity = ArgumentArity.ZeroOrOne };
        var input = new Option<string>("--input") { Description = "The execution input: JSON text, or @FILE to read it from a file.", DefaultValueFactory = _ => "{}" };
        var name = new Option<string?>("--name") { Description = "The execution name (a UUID by default)." };
        var stateMachine = new Option<string?>("--state-machine") { Description = "The state machine name (the file name without .asl.json by default); mock test cases are looked up under it." };
        var mockConfig = new Option<string?>("--mock-config") { Description = "A Step Functions Local mock configuration file." };
        var testCase = new Option<string?>("--test-case") { Description = "The test case of the mock configuration to apply." };
        var history = new Option<bool>("--history") { Description = "Include the event history in the output." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Local buckets: bucket B, key K is DIR/s3/B/K (Distributed Map ItemReader and ResultWriter)." };
        var substitute = new Option<string[]>("--substitute") { Description = "Replace ${Name} in the definition with Value (Name=Value, repeatable).", AllowMultipleArgumentsPerToken = false };
        var command = new Commands.DocumentedCommand("execute", "Run a definition once and print its result as JSON.", """
            Run one execution of a definition with the interpreter and print {"status", "output", "error", "cause"} as
            JSON (with --history, the event history too). Task states call nothing real: give a Step Functions Local
            mock configuration and a test case for their responses. Exit code 0 when the execution succeeded, 1 when
            it did not, 2 for an invalid definition or a usage error.

            Example:
              ingest states execute my-machine.asl.json --input '{"name": "Ada"}'
              ingest states execute flow.asl.json --input @input.json --mock-config mocks.json --test-case HappyPath
            """)
        {
            definition, input, name, stateMachine, mockConfig, testCase, history, dataDir, substitute,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, ct) =>
        {
            var request = new ExecuteRequest(
                parseResult.GetValue(definition),
                parseResult.GetValue(input) ?? "{}",
                parseResult.GetValue(name),
                parseResult.GetValue(stateMachine),
                parseResult.GetValue(mockConfig),
                parseResult.GetValue(testCase),
                parseResult.GetValue(history),
                parseResult.GetValue(dataDir),
                parseResult.GetValue(substitute) ?? [],
                parseResult.UnmatchedTokens);
            return await RunAsync(request, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, ct);
        });
        return command;
    }

    private sealed record ExecuteRequest(
        string? Definition,
        string Input,
        string? Name,
        string? StateMachine,
        string? MockConfig,
        string? TestCase,
        bool History,
        string? DataDir,
        string[] Substitutions,
        IReadOnlyList<string> Unmatched);

    private static async Task<int> RunAsync(ExecuteRequest request, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (Usage(request) is { } usage)
        {
            await error.WriteLineAsync(usage);
            return StatesCommand.UsageExitCode;
        }

        JValue input;
        string text;
        MockConfig? mocks;
        Dictionary<string, string> substitutions;
        try
        {
            substitutions = ParseSubstitutions(request.Substitutions);
            text = StateMachine.SubstitutePlaceholders(await File.ReadAllTextAsync(request.Definition!, ct), substitutions);
            var inputText = request.Input.StartsWith('@') ? await File.ReadAllTextAsync(request.Input[1..], ct) : request.Input;
            input = JValue.Parse(inputText);
            mocks = request.MockConfig is null ? null : MockConfig.Parse(await File.ReadAllTextAsync(request.MockConfig, ct));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or FormatException)
        {
            await error.WriteLineAsync(e is JsonException json ? $"Not valid JSON at {JsonErrorText.Describe(json)}" : TerminalText.Visible(e.Message));
            return StatesCommand.UsageExitCode;
        }

        var machineName = request.StateMachine ?? MachineName(request.Definition!);
        if (!StateMachine.TryLoad(machineName, text, out var machine, out var problems))
        {
            await WriteAsync(output, InvalidDefinition(problems));
            return StatesCommand.UsageExitCode;
        }

        if (request.TestCase is not null && mocks?.HasTestCase(machineName, request.TestCase) != true)
        {
            await error.WriteLineAsync(TerminalText.Line($"The mock configuration has no test case '{request.TestCase}' for the state machine '{machineName}'."));
            return StatesCommand.UsageExitCode;
        }

        var engine = new StatesEngine(new StatesEngineOptions
        {
            Mocks = mocks,
            Storage = request.DataDir is null ? null : Ingestion.Local.States.LocalObjectStorage.ForDataDirectory(request.DataDir),
        });
        var execution = engine.Start(machine, input, new StartExecutionOptions
        {
            Name = request.Name,
            TestCase = request.TestCase,
            History = request.History ? HistoryMode.Full : HistoryMode.None,
        });
        using (ct.Register(() => execution.Stop("Cancelled", "The command was interrupted.")))
        {
            var result = await execution.Completion;
            var json = result.ToJson();
            if (request.History)
            {
                json = json.With("history", new JArray([.. execution.GetHistory().Select(e => (JValue)e.ToJson())]));
            }

            await WriteAsync(output, json);
            return result.Succeeded ? 0 : 1;
        }
    }

    private static string? Usage(ExecuteRequest request)
    {
        if (request.Unmatched.Count > 0)
        {
            return TerminalText.Line($"Unexpected arguments: {string.Join(' ', request.Unmatched)}");
        }

        if (string.IsNullOrEmpty(request.Definition))
        {
            return "Usage: ingest states execute DEFINITION --input JSON|@FILE [--name NAME] [--mock-config FILE --test-case NAME] [--history] [--data-dir DIR] [--substitute Name=Value]";
        }

        if (!File.Exists(request.Definition))
        {
            return TerminalText.Line($"No such file: {request.Definition}");
        }

        if ((request.MockConfig is null) != (request.TestCase is null))
        {
            return "--mock-config and --test-case go together.";
        }

        return null;
    }

    private static Dictionary<string, string> ParseSubstitutions(string[] pairs)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"--substitute expects Name=Value, got '{pair}'.");
            }

            values[pair[..equals]] = pair[(equals + 1)..];
        }

        return values;
    }

    private static string MachineName(string path)
    {
        var file = Path.GetFileName(path);
        foreach (var suffix in (ReadOnlySpan<string>)[".asl.json", ".json"])
        {
            if (file.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return file[..^suffix.Length];
            }
        }

        return file;
    }

    private static JObject InvalidDefinition(IReadOnlyList<ValidationProblem> problems) => new(
    [
        new("status", new JString("INVALID_DEFINITION")),
        new("output", JValue.Null),
        new("error", new JString("States.InvalidDefinition")),
        new("cause", new JString($"The definition has {problems.Count} problem(s).")),
        new("problems", new JArray([.. problems.Select(p => (JValue)new JObject(
        [
            new("state", new JString(p.State)),
            new("field", new JString(p.Field)),
            new("message", new JString(p.Message)),
        ]))])),
    ]);

    private static async Task WriteAsync(TextWriter output, JObject json)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        await using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteTo(writer);
        }

        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
