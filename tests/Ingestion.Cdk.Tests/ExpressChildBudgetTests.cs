using System.Text.Json.Nodes;

namespace Ingestion.Cdk.Tests;

/// <summary>
/// Every EXPRESS child workflow of the definitions fits EXPRESS's five minutes in its worst case: each state's every
/// attempt running to its TimeoutSeconds, with every retrier's backoff at its longest. AWS stops an EXPRESS execution
/// at five minutes whatever it is doing, so a child that could run longer could be cut mid-batch.
/// </summary>
/// <remarks>
/// Conservative: every state of the child is counted (as if one path went through all), retriers are exhausted one
/// after another (an error that changes between attempts), and jitter never shortens a wait.
/// </remarks>
public sealed class ExpressChildBudgetTests
{
    /// <summary>EXPRESS's maximum duration.</summary>
    private const double ExpressLimitSeconds = 300;

    /// <summary>SNS PublishBatch takes at most 10 entries: a batch's notifications are partitioned by 10.</summary>
    private const int PublishBatchEntries = 10;

    private static readonly RepositoryLayout Layout = RepositoryLayout.Locate();

    public static TheoryData<string, string> ExpressChildren
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var file in new[] { Workflows.IngestFileFile, Workflows.NightlySyncFile })
            {
                foreach (var (name, _) in ExpressMaps(Load(file)))
                {
                    data.Add(file, name);
                }
            }

            return data;
        }
    }

    [Fact]
    public void IngestFile_runs_its_batches_as_express_children()
    {
        // Six readers (JSON, JSON Lines, CSV by comma, semicolon, tab, pipe) and the retry rounds.
        Assert.Equal(7, ExpressMaps(Load(Workflows.IngestFileFile)).Count());
    }

    [Fact]
    public void ProcessBatch_worst_case_fits_its_timeout_and_that_fits_every_child_that_starts_it()
    {
        var processBatch = Load(Workflows.ProcessBatchFile);
        var timeout = processBatch["TimeoutSeconds"]!.GetValue<double>();
        var batch = ExpressMaps(Load(Workflows.IngestFileFile)).Max(m => m.State["ItemBatcher"]?["MaxItemsPerBatch"]?.GetValue<int>() ?? 1);

        var worst = WorstSeconds(processBatch["States"]!.AsObject(), batch, Workflows.ProcessBatchFile);

        Assert.InRange(worst, 0, timeout);
        var starters = ExpressMaps(Load(Workflows.IngestFileFile))
            .SelectMany(m => m.State["ItemProcessor"]!["States"]!.AsObject())
            .Where(s => s.Value!["Resource"]?.GetValue<string>() == "arn:aws:states:::aws-sdk:sfn:startSyncExecution")
            .ToList();
        Assert.Equal(7, starters.Count);
        Assert.All(starters, s => Assert.InRange(s.Value!["TimeoutSeconds"]!.GetValue<double>(), timeout, ExpressLimitSeconds));
    }

    [Theory]
    [MemberData(nameof(ExpressChildren))]
    public void ExpressChild_worst_case_fits_five_minutes(string file, string map)
    {
        var state = Load(file)["States"]![map]!;
        var batch = state["ItemBatcher"]?["MaxItemsPerBatch"]?.GetValue<int>() ?? 1;

        var worst = WorstSeconds(state["ItemProcessor"]!["States"]!.AsObject(), batch, map);

        Assert.InRange(worst, 0, ExpressLimitSeconds);
    }

    [Fact]
    public void WorstCase_counts_every_attempt_and_backoff()
    {
        // 10 s × (1 + 2 + 1) attempts; backoff 1 + 2 (capped at 1.5) for the first retrier, 3 for the second.
        var states = JsonNode.Parse("""
            {"T": {"Type": "Task", "TimeoutSeconds": 10, "Retry": [
              {"ErrorEquals": ["A"], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 2, "MaxDelaySeconds": 1.5},
              {"ErrorEquals": ["B"], "IntervalSeconds": 3, "MaxAttempts": 1},
              {"ErrorEquals": ["C"], "MaxAttempts": 0}]},
             "P": {"Type": "Pass"}}
            """)!.AsObject();

        Assert.Equal(40 + 1 + 1.5 + 3, WorstSeconds(states, batch: 1, "test"));
    }

    private static JsonNode Load(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(Layout.DefinitionsDirectory, file)))!;

    private static IEnumerable<(string Name, JsonNode State)> ExpressMaps(JsonNode definition) =>
        definition["States"]!.AsObject()
            .Where(s => s.Value!["ItemProcessor"]?["ProcessorConfig"]?["ExecutionType"]?.GetValue<string>() == "EXPRESS")
            .Select(s => (s.Key, s.Value!));

    /// <summary>The longest the states can take together; <paramref name="batch"/> is how many items the child was given.</summary>
    private static double WorstSeconds(JsonObject states, int batch, string where)
    {
        double total = 0;
        foreach (var (name, state) in states)
        {
            total += state!["Type"]!.GetValue<string>() switch
            {
                "Task" => TaskSeconds(state, $"{where}/{name}"),
                "Wait" => state["Seconds"]?.GetValue<double>() ?? throw new Xunit.Sdk.XunitException($"{where}/{name}: a Wait in an EXPRESS child needs fixed Seconds"),
                "Map" => MapSeconds(state, batch, $"{where}/{name}"),
                "Parallel" => state["Branches"]!.AsArray().Max(b => WorstSeconds(b!["States"]!.AsObject(), batch, $"{where}/{name}")),
                _ => 0,
            };
        }

        return total;
    }

    /// <summary>An inline Map over the batch's notifications, partitioned for PublishBatch: rounds of MaxConcurrency.</summary>
    private static double MapSeconds(JsonNode map, int batch, string where)
    {
        var concurrency = map["MaxConcurrency"]?.GetValue<int>() ?? 0;
        Assert.True(concurrency > 0, $"{where}: an inline Map in an EXPRESS child needs a MaxConcurrency to bound its rounds");
        var items = (batch + PublishBatchEntries - 1) / PublishBatchEntries;
        var rounds = (items + concurrency - 1) / concurrency;
        return rounds * WorstSeconds(map["ItemProcessor"]!["States"]!.AsObject(), batch, where);
    }

    private static double TaskSeconds(JsonNode task, string where)
    {
        var timeout = task["TimeoutSeconds"]?.GetValue<double>()
            ?? throw new Xunit.Sdk.XunitException($"{where}: a Task in an EXPRESS child needs TimeoutSeconds (the default is 99,999,999)");
        var attempts = 1;
        double backoff = 0;
        foreach (var retrier in task["Retry"]?.AsArray() ?? [])
        {
            // ASL defaults: MaxAttempts 3, IntervalSeconds 1, BackoffRate 2.0, no MaxDelaySeconds.
            var retries = retrier!["MaxAttempts"]?.GetValue<int>() ?? 3;
            var interval = retrier["IntervalSeconds"]?.GetValue<double>() ?? 1;
            var rate = retrier["BackoffRate"]?.GetValue<double>() ?? 2;
            var maxDelay = retrier["MaxDelaySeconds"]?.GetValue<double>() ?? double.MaxValue;
            attempts += retries;
            for (var i = 0; i < retries; i++)
            {
                backoff += Math.Min(interval * Math.Pow(rate, i), maxDelay);
            }
        }

        return (attempts * timeout) + backoff;
    }
}
