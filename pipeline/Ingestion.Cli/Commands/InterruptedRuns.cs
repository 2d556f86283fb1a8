using Ingestion.Cli.Output;
using Ingestion.Local;

namespace Ingestion.Cli.Commands;

/// <summary>
/// What <c>ingest run</c>, <c>watch</c> and <c>sync</c> do first: finish the files an earlier <c>ingest</c> process
/// left unfinished when it ended abruptly (killed, crashed, the machine went down).
/// </summary>
internal static class InterruptedRuns
{
    /// <summary>Runs each interrupted file again, following its progress; returns the results (label: the key).</summary>
    /// <param name="abort">Stops the runs in flight.</param>
    public static async Task<List<(string File, FileRunResult Result)>> FinishAsync(CliHost host, LocalPipeline pipeline, CancellationToken abort)
    {
        var results = new List<(string File, FileRunResult Result)>();
        var runs = await pipeline.RecoverAsync(abort);
        foreach (var run in runs)
        {
            host.ErrorLine($"{run.Object.Key}: an earlier ingest ended before this file was done; ingesting it again (records it stored come out replayed).");
            results.Add((run.Object.Key, await RunProgressView.FollowAsync(host, run, run.Object.Key, abort)));
        }

        return results;
    }
}
