using Ingestion.States.Json;
using Ingestion.States.Mocking;
using Ingestion.States.Parsing;
using Ingestion.States.Templates;

namespace Ingestion.States.Tests.Support;

/// <summary>Runs a case file through the engine with a virtual clock and fake integrations, and checks it.</summary>
internal static class CaseRunner
{
    /// <summary>The fields a case file may have; any other is a typo that would silently check nothing.</summary>
    private static readonly HashSet<string> CaseKeys =
    [
        "comment", "source", "definition", "input", "expected", "bucket", "functions", "tasks", "payloadLimit", "mocks", "testCase", "pumpClock", "clock",
        "stateMachine", "stateMachineType",
    ];

    private static readonly HashSet<string> ExpectedKeys =
    [
        "status", "output", "error", "cause", "causeContains", "history", "elapsedSeconds", "calls", "objects", "problems",
    ];

    public static async Task RunAsync(SpecCase spec)
    {
        var expected = spec.Expected ?? throw new InvalidOperationException($"{spec.Id}: no expected");
        CheckKeys(spec, spec.Root, CaseKeys, "");
        CheckKeys(spec, expected, ExpectedKeys, "expected.");
        if (expected.Get("problems") is JArray problems)
        {
            CheckProblems(spec, problems);
            return;
        }

        var clock = new VirtualTimeProvider(spec.Root.Get("clock") is JString c && Timestamps.TryParse(c.Value, out var start)
            ? start
            : new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var engine = new StatesEngine(new StatesEngineOptions
        {
            Clock = clock,
            Random = RandomSource.Seeded(42),
            Mocks = spec.Root.Get("mocks") is { } mocks ? MockConfig.Parse(mocks) : null,
            PayloadLimitBytes = spec.Root.Get("payloadLimit") is JNumber limit ? (int)limit.LongValue : StatesEngineOptions.AwsPayloadLimitBytes,
            Storage = spec.Root.Get("bucket") is JObject bucket ? MemoryObjectStorage.From(bucket) : null,
        });
        Fakes.Register(engine, spec.Root, clock);

        var parsed = DefinitionParser.Parse(spec.Definition);
        Assert.True(parsed.IsValid, $"{spec.Id}: the definition is invalid: {string.Join("; ", parsed.Problems)}");
        var type = spec.Root.Get("stateMachineType") is JString { Value: "EXPRESS" } ? StateMachineType.Express : StateMachineType.Standard;
        var machine = StateMachine.FromDefinition((spec.Root.Get("stateMachine") as JString)?.Value ?? "Machine", parsed.Definition!, type);
        var startedAt = clock.GetUtcNow();
        var execution = engine.Start(machine, spec.Input, new StartExecutionOptions
        {
            Name = "case",
            TestCase = (spec.Root.Get("testCase") as JString)?.Value,
        });
        if (spec.Root.Get("pumpClock") is JBool { Value: true })
        {
            // A hanging fake needs time to pass: move the virtual clock until the execution ends.
            while (!execution.Completion.IsCompleted)
            {
                await Task.Delay(1);
                clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var result = await execution.WaitAsync().WaitAsync(TimeSpan.FromSeconds(20));

        var status = (expected.Get("status") as JString)?.Value ?? "SUCCEEDED";
        Assert.True(status == ExecutionResult.StatusName(result.Status),
            $"{spec.Id}: expected {status}, got {ExecutionResult.StatusName(result.Status)} ({result.Error}: {result.Cause}) output {result.Output}");
        if (expected.TryGetValue("output", out var output))
        {
            Assert.True(output.Equals(result.Output), $"{spec.Id}: expected output {output}\n  but got {result.Output}");
        }

        // null is a value to check: AWS ends some failures with no error name or no cause at all.
        if (expected.TryGetValue("error", out var error))
        {
            Assert.Equal((error as JString)?.Value, result.Error);
        }

        if (expected.TryGetValue("cause", out var cause))
        {
            Assert.Equal((cause as JString)?.Value, result.Cause);
        }

        if (expected.Get("causeContains") is JString fragment)
        {
            Assert.Contains(fragment.Value, result.Cause ?? "", StringComparison.Ordinal);
        }

        if (expected.Get("elapsedSeconds") is JNumber elapsed)
        {
            Assert.Equal(elapsed.Value, (clock.GetUtcNow() - startedAt).TotalSeconds, 3);
        }

        if (expected.Get("history") is JArray history)
        {
            var types = execution.GetHistory().Select(e => e.Type).ToArray();
            Assert.Equal(history.Select(h => ((JString)h).Value).ToArray(), types);
        }

        if (expected.Get("calls") is JObject calls)
        {
            foreach (var (name, count) in calls)
            {
                Assert.True(Fakes.CallCount(engine, name) == ((JNumber)count).LongValue, $"{spec.Id}: {name} was called {Fakes.CallCount(engine, name)} times, expected {count}");
            }
        }

        if (expected.Get("objects") is JObject objects)
        {
            var storage = (MemoryObjectStorage)engine.Options.Storage!;
            foreach (var (key, content) in objects)
            {
                Assert.True(storage.TryGet(key, out var stored), $"{spec.Id}: no object {key}; have {string.Join(", ", storage.Keys)}");
                Assert.True(content.Equals(stored), $"{spec.Id}: object {key} is {stored}, expected {content}");
            }
        }
    }

    private static void CheckKeys(SpecCase spec, JObject obj, HashSet<string> known, string prefix)
    {
        foreach (var (key, _) in obj)
        {
            Assert.True(known.Contains(key), $"{spec.Id}: unknown field '{prefix}{key}' (known: {string.Join(", ", known)})");
        }
    }

    private static void CheckProblems(SpecCase spec, JArray expectedProblems)
    {
        var parsed = DefinitionParser.Parse(spec.Definition);
        Assert.False(parsed.IsValid, $"{spec.Id}: the definition should be invalid");
        foreach (var expected in expectedProblems.Cast<JObject>())
        {
            var state = (expected.Get("state") as JString)?.Value;
            var field = (expected.Get("field") as JString)?.Value;
            Assert.True(
                parsed.Problems.Any(p => (state is null || p.State == state) && (field is null || p.Field == field)),
                $"{spec.Id}: expected a problem at state '{state}', field '{field}'; got: {string.Join("; ", parsed.Problems)}");
        }
    }
}
