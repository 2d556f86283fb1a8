using System.Diagnostics;
using System.Globalization;
using Ingestion.Rehearsal;
using Ingestion.Testing;

namespace Ingestion.Benchmarks.ColdStart;

/// <summary>
/// The functions' cold start, as the deployment rehearsal measures it: process start to the first
/// <c>invocation/next</c> (init), then the first event to its result. Runs the synthesized app's packaged arm64
/// bootstrap (under qemu on an x86_64 machine: indicative only) and a natively built x86_64 bootstrap of the same
/// sources, in alternating rounds, and prints the medians.
/// </summary>
/// <remarks>Usage: <c>coldstart [--cdk-out DIR] [--rounds N]</c>; synthesize first (<c>npx cdk synth --quiet</c>).</remarks>
internal static class ColdStartBenchmarks
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = NodeTools.RepositoryRoot;
        var cdkOut = Path.GetFullPath(Option(args, "--cdk-out") ?? Path.Combine(root, "cdk.out"));
        var rounds = int.Parse(Option(args, "--rounds") ?? "3", CultureInfo.InvariantCulture);
        if (!Directory.Exists(cdkOut))
        {
            Console.Error.WriteLine($"No synthesized app at {cdkOut}: run `npx cdk synth --quiet` first (or pass --cdk-out DIR).");
            return 2;
        }

        NodeTools.EnsurePackages(NodeTools.ServerPackages);
        var native = PublishNative(root);
        var sample = Path.Combine(root, "testdata", "students-mixed.json");
        var timings = new Dictionary<(string Build, string Function), List<(double Init, double? First)>>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (build, package) in new[] { ("x86_64 native", native), ("arm64 under qemu", (string?)null) })
            {
                var work = Path.Combine(root, ".tmp", "coldstart-" + Guid.NewGuid().ToString("N")[..8]);
                try
                {
                    var report = await DeploymentRehearsal.RunAsync(new RehearsalOptions(cdkOut, [sample], root, work, package));
                    foreach (var f in report.Functions)
                    {
                        var list = timings.TryGetValue((build, f.Name), out var l) ? l : timings[(build, f.Name)] = [];
                        list.Add((f.InitDuration.TotalMilliseconds, f.FirstInvocationDuration?.TotalMilliseconds));
                    }

                    Console.WriteLine($"round {round}, {build}: {report.Files[0].ExecutionStatus}, {report.Problems.Count} problem(s)");
                }
                finally
                {
                    if (Directory.Exists(work))
                    {
                        Directory.Delete(work, recursive: true);
                    }
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Cold start, median of {rounds} rounds (ms); 4 functions start at once on this machine's {Environment.ProcessorCount} cores:");
        Console.WriteLine($"{"build",-18} {"function",-36} {"init",8} {"first invocation",17}");
        foreach (var ((build, function), values) in timings.OrderBy(t => t.Key.Build, StringComparer.Ordinal).ThenBy(t => t.Key.Function, StringComparer.Ordinal))
        {
            var first = values.Where(v => v.First is not null).Select(v => v.First!.Value).ToList();
            Console.WriteLine($"{build,-18} {function,-36} {Median(values.Select(v => v.Init)),8:0} {(first.Count == 0 ? "-" : Median(first).ToString("0", CultureInfo.InvariantCulture)),17}");
        }

        Console.WriteLine("Under qemu the figures are indicative only (emulation is many times slower than Graviton).");
        Console.WriteLine("Anchor (serverless-dotnet-demo on AWS, p50 cold start): .NET 8 managed about 860 ms, Native AOT about 322 ms.");
        return 0;
    }

    /// <summary>Publishes the bootstrap for this machine (linux-x64) into .tmp, with its own build folder; returns the output folder.</summary>
    private static string PublishNative(string root)
    {
        var output = Path.Combine(root, ".tmp", "bootstrap-native");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "publish", "handlers/Ingestion.Functions.Bootstrap", "-c", "Release", "-r", "linux-x64",
            "-o", output, "--artifacts-path", Path.Combine(root, ".tmp", "bootstrap-native-build"), "--nologo",
        })
        {
            start.ArgumentList.Add(argument);
        }

        Console.WriteLine("Publishing the bootstrap for linux-x64 (Native AOT; a few minutes the first time)...");
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"dotnet publish for linux-x64 failed with exit code {process.ExitCode}.");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
