using System.CommandLine;
using Ingestion.Cli.Output;
using Ingestion.Local;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest redrive KEY… [--json]</c>: retries files left in <c>incoming/</c> by a failed run.</summary>
internal static class RedriveCommand
{
    public static Command Create(CliHost host)
    {
        var keys = new Argument<string[]>("KEY") { Description = "Files in the local bucket's incoming/ folder: a name (students.json) or a key (incoming/students.json).", Arity = ArgumentArity.ZeroOrMore };
        var json = CommandContext.Json("Print one JSON line per file, as `ingest run --json` does.");
        var command = new DocumentedCommand("redrive", "Retry a file whose records failed: deliver its Object Created event again.", """
            Retry files whose ingestion FAILED: records that could not be stored (storage errors that outlasted every
            retry) are listed in the report as failed, and the file stays in incoming/ so that it can be retried. This
            command delivers the Object Created event of the object version in incoming/ again, through the EventBridge
            rule, as S3 would: the ledger lets a FAILED version register again, records already stored from that
            version come out "replayed" (nothing is written; they are announced again, at least once) and the failed
            ones are stored. Once nothing fails the report says SUCCEEDED and the file moves to archive/.

            The nightly sync (ingest sync) retries such files too. A quarantined file (it could not be read) is not
            retried: fix it and ingest the corrected file. A version already ingested ends ALREADY_PROCESSED.

            Exit code: 0 when every execution succeeded, 1 when one failed again, 2 when a KEY names no file in
            incoming/ (the message says where it went).

            Example:
              ingest redrive students.json
              ingest files        # FAILED files and their reports
            """)
        {
            keys, json,
        };
        command.SetAction((parse, stop) => RedriveAsync(host, parse, parse.GetValue(keys) ?? [], parse.GetValue(json), stop));
        return command;
    }

    private static async Task<int> RedriveAsync(CliHost host, ParseResult parse, string[] keys, bool json, CancellationToken stop)
    {
        if (keys.Length == 0)
        {
            await host.Error.WriteLineAsync("ingest redrive: give at least one KEY, e.g. ingest redrive students.json");
            return ExitCodes.Usage;
        }

        await using var pipeline = CommandContext.OpenExisting(host, parse, ExitCodes.Usage, out var exit);
        if (pipeline is null)
        {
            return exit;
        }

        using var abort = CancellationTokenSource.CreateLinkedTokenSource(stop, host.Abort);
        var results = await InterruptedRuns.FinishAsync(host, pipeline, abort.Token);
        var missing = false;
        foreach (var key in keys)
        {
            if (stop.IsCancellationRequested)
            {
                break;
            }

            // A file whose run was interrupted was just finished above: delivering it again would only say ALREADY_PROCESSED.
            var incomingKey = key.StartsWith(LocalPipeline.IncomingPrefix, StringComparison.Ordinal) ? key : LocalPipeline.IncomingPrefix + key.TrimStart('/');
            if (results.Any(r => r.File == incomingKey))
            {
                continue;
            }

            FileRun run;
            try
            {
                run = await pipeline.RedriveAsync(key, CancellationToken.None);
            }
            catch (InvalidOperationException e)
            {
                host.ErrorLine($"ingest redrive: {e.Message}");
                missing = true;
                continue;
            }

            results.Add((run.Object.Key, await RunProgressView.FollowAsync(host, run, run.Object.Key, abort.Token)));
        }

        foreach (var (file, result) in results)
        {
            if (json)
            {
                RunResults.WriteJson(host.Out, result, file);
            }
        }

        if (!json && results.Count > 0)
        {
            host.Render(RunResults.Table(results, host));
            foreach (var line in RunResults.CalloutLines(results))
            {
                host.MarkupLine($"{line}");
            }

            foreach (var (file, result) in results.Where(r => r.Result.Status is not ("SUCCEEDED" or "FAILED")))
            {
                host.MarkupLine($"{file}: {result.Status}: {RunResults.Why(result)}");
            }
        }

        return stop.IsCancellationRequested ? ExitCodes.Interrupted
            : missing ? ExitCodes.Usage
            : results.All(r => r.Result.Succeeded) ? ExitCodes.Success
            : ExitCodes.Failed;
    }
}
