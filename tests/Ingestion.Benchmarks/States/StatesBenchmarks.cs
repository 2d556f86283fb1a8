using System.Diagnostics;
using System.Text;
using Ingestion.States;
using Ingestion.States.History;
using Ingestion.States.Json;

namespace Ingestion.Benchmarks.States;

/// <summary>
/// The interpreter's cost per state transition and per Distributed Map child. Prints figures;
/// `states` runs everything but the 1 GB file, `states bigfile` runs that one.
/// </summary>
internal static partial class StatesBenchmarks
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("bigfile"))
        {
            await BigFileAsync();
            return 0;
        }

        await PassChainAsync(HistoryMode.Full);
        await PassChainAsync(HistoryMode.None);
        await InlineMapAsync(HistoryMode.Full);
        await InlineMapAsync(HistoryMode.None);
        await DistributedAsync();
        return 0;
    }

    private static async Task PassChainAsync(HistoryMode history)
    {
        const int length = 1000;
        var states = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            var next = i + 1 < length ? $"\"Next\":\"S{i + 1}\"" : "\"End\":true";
            states.Append(i == 0 ? "" : ",").Append($$"""
                "S{{i}}":{"Type":"Pass","Parameters":{"count.$":"$.count","id.$":"$.id","step":{{i}},"tags.$":"$.tags"},{{next}}}
                """);
        }

        var machine = StateMachine.Load("PassChain", "{\"StartAt\":\"S0\",\"States\":{" + states + "}}");
        var engine = new StatesEngine();
        var input = JValue.Parse("""{"count":1,"id":"abc","tags":["a","b"]}""");
        var options = new StartExecutionOptions { History = history };
        for (var warm = 0; warm < 20; warm++)
        {
            await engine.RunAsync(machine, input, options);
        }

        const int runs = 200;
        var stopwatch = Stopwatch.StartNew();
        for (var run = 0; run < runs; run++)
        {
            await engine.RunAsync(machine, input, options);
        }

        stopwatch.Stop();
        var perTransition = stopwatch.Elapsed.TotalMicroseconds / (runs * (double)length);
        Console.WriteLine($"pass chain, Parameters, history {history}: {perTransition:F3} µs per state transition ({runs} × {length} states in {stopwatch.ElapsedMilliseconds} ms)");
    }

    private static async Task InlineMapAsync(HistoryMode history)
    {
        const int items = 100_000;
        var machine = StateMachine.Load("InlineMap", """
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","ItemSelector":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"},
              "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"x.$":"$.v"},"End":true}}},"End":true}}}
            """);
        var engine = new StatesEngine(new StatesEngineOptions { PayloadLimitBytes = int.MaxValue });
        var input = new JObject([new("items", new JArray([.. Enumerable.Range(0, items).Select(i => (JValue)JNumber.Of(i))]))]);
        var options = new StartExecutionOptions { History = history };
        await engine.RunAsync(machine, input, options);
        var stopwatch = Stopwatch.StartNew();
        var result = await engine.RunAsync(machine, input, options);
        stopwatch.Stop();
        // Each item is two transitions: into the iteration's Pass, and out of it.
        Console.WriteLine($"inline map of {items:N0} items, history {history}: {stopwatch.Elapsed.TotalMilliseconds:F0} ms, "
            + $"{stopwatch.Elapsed.TotalMicroseconds / items:F3} µs per item ({result.Status})");
    }
}
