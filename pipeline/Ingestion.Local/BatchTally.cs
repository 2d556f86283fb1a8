using System.Collections.Concurrent;
using Ingestion.Domain;
using Ingestion.Domain.Students;
using Ingestion.States;
using Ingestion.States.Json;

namespace Ingestion.Local;

/// <summary>
/// What each map run's finished batches have done so far, added up as they end. A run stopped part-way (Ctrl+C) never
/// reaches SummarizeRun, so this is the only account of the students it stored: without it the run would say
/// "0 received" while thousands were written.
/// </summary>
/// <remarks>
/// A succeeded batch adds its own counts (BatchDone's <c>counts</c>, and <c>notified</c> beside them); a failed or timed-out batch adds its students as
/// received and failed; a batch stopped with the run adds nothing (its students were not all processed, and the
/// retry stores them).
/// </remarks>
internal sealed class BatchTally
{
    private readonly ConcurrentDictionary<string, RunCounts> _byMapRun = new(StringComparer.Ordinal);

    public void Add(MapRun mapRun, int items, ExecutionResult result)
    {
        var counts = result.Status switch
        {
            ExecutionStatus.Succeeded when result.Output is JObject { } output && output.Get("counts") is JObject batch =>
                DomainJson.ReadRunCounts(batch.ToUtf8Bytes()) with { Notified = output.Get("notified") is JNumber notified ? notified.LongValue : 0 },
            ExecutionStatus.Aborted or ExecutionStatus.Succeeded => null,
            _ => new RunCounts(Received: items, Failed: items),
        };
        if (counts is not null)
        {
            _byMapRun.AddOrUpdate(mapRun.Arn, counts, (_, sum) => sum.Add(counts));
        }
    }

    /// <summary>The sum over an execution's map runs, forgotten once taken.</summary>
    public RunCounts Take(Execution execution)
    {
        var sum = RunCounts.Zero;
        foreach (var mapRun in execution.MapRuns)
        {
            if (_byMapRun.TryRemove(mapRun.Arn, out var counts))
            {
                sum = sum.Add(counts);
            }
        }

        return sum;
    }
}
