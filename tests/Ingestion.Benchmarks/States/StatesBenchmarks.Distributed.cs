using System.Diagnostics;
using System.Text;
using Ingestion.States;
using Ingestion.States.Json;

namespace Ingestion.Benchmarks.States;

internal static partial class StatesBenchmarks
{
    private const string JsonlMap = """
        {"StartAt":"Map","States":{"Map":{"Type":"Map",
          "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSONL"},"Parameters":{"Bucket":"bench","Key":"items.jsonl"}},
          "ItemSelector":{"index.$":"$$.Map.Item.Index","record.$":"$$.Map.Item.Value"},
          BATCHER
          "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
          "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"bench","Prefix":"results"}},
          "End":true}}}
        """;

    private const string Batcher500 = "\"ItemBatcher\":{\"MaxItemsPerBatch\":500,\"MaxInputBytesPerBatch\":204800},";

    /// <summary>Engine overhead per child (unbatched, Pass-only) and the 1,000,000-item JSONL run in batches of 500.</summary>
    private static async Task DistributedAsync()
    {
        using var folder = new TempFolder();
        await WriteJsonlAsync(folder.PathOf("bench", "items.jsonl"), 100_000);
        var storage = new FolderObjectStorage(folder.Root);
        var engine = new StatesEngine(new StatesEngineOptions { Storage = storage });
        var unbatched = StateMachine.Load("Children", JsonlMap.Replace("BATCHER", "", StringComparison.Ordinal));
        await engine.RunAsync(unbatched, JValue.Parse("{}"));
        var stopwatch = Stopwatch.StartNew();
        var result = await engine.RunAsync(unbatched, JValue.Parse("{}"));
        stopwatch.Stop();
        Console.WriteLine($"distributed map, 100,000 unbatched EXPRESS Pass children with ResultWriter: {stopwatch.ElapsedMilliseconds} ms, "
            + $"{stopwatch.Elapsed.TotalMicroseconds / 100_000:F2} µs per child ({result.Status})");

        await WriteJsonlAsync(folder.PathOf("bench", "items.jsonl"), 1_000_000);
        var batched = StateMachine.Load("Batches", JsonlMap.Replace("BATCHER", Batcher500, StringComparison.Ordinal));
        var peakBefore = Environment.WorkingSet;
        stopwatch.Restart();
        result = await engine.RunAsync(batched, JValue.Parse("{}"));
        stopwatch.Stop();
        Console.WriteLine($"distributed map, 1,000,000 JSONL items in batches of 500 (Pass child, ResultWriter): {stopwatch.Elapsed.TotalSeconds:F2} s ({result.Status}{(result.Error is null ? "" : " " + result.Error + ": " + result.Cause)}); "
            + $"working set {peakBefore / 1048576} MB before, {Environment.WorkingSet / 1048576} MB after");
    }

    /// <summary>A generated 1 GB JSONL file through batches of 500: peak memory must stay under 300 MB.</summary>
    private static async Task BigFileAsync()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("bench", "items.jsonl");
        var count = await WriteJsonlAsync(path, targetBytes: 1L << 30);
        Console.WriteLine($"generated {new FileInfo(path).Length / 1048576} MB, {count:N0} items");
        // Without ResultWriter the output would be every child's result in memory; with it, results stream to files.
        var machine = StateMachine.Load("BigFile", JsonlMap.Replace("BATCHER", Batcher500, StringComparison.Ordinal));
        var engine = new StatesEngine(new StatesEngineOptions { Storage = new FolderObjectStorage(folder.Root), ResultFilePartBytes = 16 * 1024 * 1024 });
        var peak = 0L;
        using var sampler = new Timer(_ => peak = Math.Max(peak, Environment.WorkingSet), null, 0, 50);
        GC.Collect();
        var stopwatch = Stopwatch.StartNew();
        var result = await engine.RunAsync(machine, JValue.Parse("{}"));
        stopwatch.Stop();
        peak = Math.Max(peak, Environment.WorkingSet);
        Console.WriteLine($"1 GB JSONL: {result.Status} in {stopwatch.Elapsed.TotalSeconds:F1} s, peak working set {peak / 1048576} MB (target < 300 MB)");
    }

    private static async Task<long> WriteJsonlAsync(string path, long items = long.MaxValue, long targetBytes = long.MaxValue)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 20);
        long written = 0;
        long count = 0;
        for (; count < items && written < targetBytes; count++)
        {
            var line = $$"""{"StudentID":"S{{count:D8}}","Name":"Student {{count}}","Department":"Physics","Email":"s{{count}}@example.edu"}""";
            await file.WriteLineAsync(line);
            written += line.Length + 1;
        }

        return count;
    }
}
