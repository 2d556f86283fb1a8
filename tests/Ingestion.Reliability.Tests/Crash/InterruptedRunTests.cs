using Ingestion.Domain.Storage;
using Ingestion.Reliability.Tests.Support;
using Ingestion.States;

namespace Ingestion.Reliability.Tests.Crash;

/// <summary>A run stopped before it finished (a second Ctrl+C, a timeout) does not hold its file for the ledger's two-hour lease.</summary>
public sealed class InterruptedRunTests
{
    [Fact]
    public async Task A_stopped_run_starts_no_further_batch()
    {
        var calls = new List<bool>();
        var waiting = new TaskCompletionSource();
        var stopped = new TaskCompletionSource();
        await using var scenario = LocalScenario.Create(options => options with
        {
            MaxChildConcurrency = 1,
            Functions = (name, function) => name != "StoreStudents" ? function : async (input, ct) =>
            {
                int call;
                lock (calls)
                {
                    calls.Add(stopped.Task.IsCompleted);
                    call = calls.Count;
                }

                if (call == 2)
                {
                    waiting.TrySetResult();
                    await Task.Delay(Timeout.Infinite, ct);
                }

                return await function(input, ct);
            },
        });
        var (path, _) = Exports.Write(scenario, "export.jsonl", 1_000);
        var run = await scenario.Pipeline.StartFileAsync(path);
        await waiting.Task;

        stopped.SetResult();
        run.Execution.Stop("Interrupted", "Stopped by the test.");
        await run.CompleteAsync().WaitAsync(TimeSpan.FromMinutes(1));

        // The map's next batch was already queued when the run stopped; it must not start.
        lock (calls)
        {
            Assert.Equal([false, false], calls);
        }
    }

    [Fact]
    public async Task An_aborted_run_releases_its_file_as_FAILED_and_a_redrive_finishes_it_with_replays()
    {
        var firstStored = new TaskCompletionSource();
        var calls = 0;
        var stopped = false;
        await using var scenario = LocalScenario.Create(options => options with
        {
            // One batch is stored; every other batch's store waits until the run is stopped.
            Functions = (name, function) => name != "StoreStudents" ? function : async (input, ct) =>
            {
                if (Interlocked.Increment(ref calls) > 1 && !Volatile.Read(ref stopped))
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }

                var output = await function(input, ct);
                firstStored.TrySetResult();
                return output;
            },
        });
        var (path, export) = Exports.Write(scenario, "export.jsonl", 1_000);

        var run = await scenario.Pipeline.StartFileAsync(path);
        await firstStored.Task;
        run.Execution.Stop("Interrupted", "Stopped by the test.");
        var aborted = await run.CompleteAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Volatile.Write(ref stopped, true);
        Assert.Equal(("ABORTED", ExecutionStatus.Aborted), (aborted.Status, aborted.ExecutionStatus));

        await DataFolderProbe.UntilAsync(() => scenario.Pipeline.Runs.List().Count == 0, TimeSpan.FromMinutes(1), "the stopped run to be settled");
        var entry = await scenario.Pipeline.Ledger.GetAsync(scenario.Pipeline.BucketName, run.Object.Key, run.Object.VersionId!);
        Assert.Equal((FileStatus.Failed, "Interrupted"), (entry!.Status, entry.Error?.Error));
        var before = await scenario.StudentsAsync();
        Assert.InRange(before.Count, 64, 80); // the first batch's valid records (batches of 80)

        var redriven = await (await scenario.Pipeline.RedriveAsync("export.jsonl")).CompleteAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("SUCCEEDED", redriven.Status);
        Assert.Equal(before.Count, redriven.Counts.Replayed);
        Assert.Equal(1_000 - export.Invalid, redriven.Counts.Created + redriven.Counts.Replayed);
        var after = await scenario.StudentsAsync();
        Assert.All(before, pair => Assert.Equal(pair.Value, after[pair.Key]));
    }
}
