namespace Ingestion.Benchmarks;

/// <summary>Benchmark modes by name: <c>dotnet run -c Release --project tests/Ingestion.Benchmarks -- MODE</c>.</summary>
internal static class Program
{
    private static readonly Dictionary<string, Func<string[], Task<int>>> Modes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["states"] = States.StatesBenchmarks.RunAsync,
        ["jsonata"] = Jsonata.JsonataBenchmarks.RunAsync,
        ["coldstart"] = ColdStart.ColdStartBenchmarks.RunAsync,
    };

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || !Modes.TryGetValue(args[0], out var mode))
        {
            Console.Error.WriteLine($"Usage: Ingestion.Benchmarks MODE [options]; modes: {string.Join(", ", Modes.Keys)}");
            return 2;
        }

        return await mode(args[1..]);
    }
}
