using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Ingestion.Benchmarks.Jsonata;

/// <summary>
/// The native JSONata evaluator against jsonata-js 2.0.6 (from npm) on the reference suite's succeeding cases:
/// expressions compiled once, then whole rounds over every case, timed the same way on both sides.
/// </summary>
/// <remarks>
/// Usage: <c>jsonata [SUITE_DIR] [SECONDS]</c>; the suite folder defaults to JSONATA_SUITE_DIR. Cases that expect an
/// error, impose time or depth limits, or use $eval are left out, as are files System.Text.Json cannot read
/// (lone surrogate escapes), so both sides run exactly the same list.
/// </remarks>
internal static class JsonataBenchmarks
{
    public static async Task<int> RunAsync(string[] args)
    {
        var suite = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("JSONATA_SUITE_DIR");
        if (suite is null || !Directory.Exists(Path.Combine(suite, "groups")))
        {
            Console.Error.WriteLine("jsonata: give the reference suite folder as an argument or in JSONATA_SUITE_DIR");
            return 2;
        }

        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var cases = BenchmarkCase.Select(suite);
        var native = TimeNative(cases, seconds);
        Report("native evaluator", cases.Count, native);

        if (await TimeJsonataJsAsync(suite, cases, seconds) is not { } js)
        {
            return 1;
        }

        Report("jsonata-js 2.0.6", cases.Count, js);
        Console.WriteLine($"ratio: the native evaluator is {js.Wall / native.Wall:F2}x as fast as jsonata-js by wall clock, {js.Cpu / native.Cpu:F2}x by CPU time");
        return 0;
    }

    private static void Report(string name, int count, Timing timing) =>
        Console.WriteLine($"{name}: {count} cases, {timing.Wall:F0} µs per round ({timing.Wall / count:F2} µs per evaluation), "
            + $"CPU {timing.Cpu:F0} µs per round");

    private static Timing TimeNative(List<BenchmarkCase> cases, double seconds)
    {
        static void Round(List<BenchmarkCase> cases)
        {
            foreach (var c in cases)
            {
                c.Compiled.Evaluate(c.Input, c.Bindings);
            }
        }

        for (var warm = 0; warm < 3; warm++)
        {
            Round(cases);
        }

        var rounds = 0;
        using var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed.TotalSeconds < seconds)
        {
            Round(cases);
            rounds++;
        }

        process.Refresh();
        return new Timing(stopwatch.Elapsed.TotalMicroseconds / rounds, (process.TotalProcessorTime - cpuStart).TotalMicroseconds / rounds);
    }

    private static async Task<Timing?> TimeJsonataJsAsync(string suite, List<BenchmarkCase> cases, double seconds)
    {
        var repository = FindRepositoryRoot();
        if (repository is null || !Directory.Exists(Path.Combine(repository, "node_modules", "jsonata")))
        {
            Console.Error.WriteLine("jsonata-js is not installed: run npm ci at the repository root");
            return null;
        }

        var list = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(list, cases.Select(c => c.Id));
            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = repository,
                RedirectStandardOutput = true,
            };
            foreach (var arg in new[] { Path.Combine("tests", "Ingestion.Benchmarks", "Jsonata", "jsonata-bench.js"), suite, list, seconds.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(arg);
            }

            using var node = Process.Start(start)!;
            var output = await node.StandardOutput.ReadToEndAsync();
            await node.WaitForExitAsync();
            if (node.ExitCode != 0)
            {
                Console.Error.WriteLine($"jsonata-js benchmark failed ({node.ExitCode})");
                return null;
            }

            using var report = JsonDocument.Parse(output);
            return new Timing(report.RootElement.GetProperty("microsecondsPerRound").GetDouble(), report.RootElement.GetProperty("cpuMicrosecondsPerRound").GetDouble());
        }
        finally
        {
            File.Delete(list);
        }
    }

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "Ingestion.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}

/// <summary>Time per round over every case: wall clock, and CPU time, which other work on the machine disturbs less.</summary>
internal readonly record struct Timing(double Wall, double Cpu);
