using System.CommandLine;
using Ingestion.Cli.Output;
using Ingestion.Local.Watching;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest sync [--grace SECONDS]</c>: runs the NightlySync state machine now.</summary>
internal static class SyncCommand
{
    public static Command Create(CliHost host)
    {
        var grace = new Option<long>("--grace")
        {
            Description = "Leave alone objects younger than this many seconds: their own event is probably on the way (the deployed default is 3600).",
            DefaultValueFactory = _ => 3600,
            HelpName = "SECONDS",
        };
        var json = CommandContext.Json("Print the result as one JSON object: status, total, stale, files [{key, outcome, stale}], durationMs.");
        var command = new DocumentedCommand("sync", "Run NightlySync now: ingest what was left in incoming/ longer than the grace period.", """
            Run the NightlySync state machine now: every object left in incoming/ (a missed event, an earlier failure)
            older than the grace period goes through IngestFile again; younger ones are reported SKIPPED_RECENT. The
            ledger makes it safe to repeat: a file whose records FAILED registers again and is retried, a file
            already ingested is not. Publishes the daily digest to the AdminAlerts outbox (the files' counts, their
            rejections by reason with the commonest, where each rejections CSV is) and the StaleFiles metric.
            A file in incoming/ that cannot be an object (its name is not UTF-8 or holds a line break, it is a FIFO or a
            link) is named on standard error with what to do.
            Files an earlier ingest left unfinished (it was killed part-way) are ingested again first.

            Exit code: 0 when the sync and every file it sent succeeded, 1 otherwise.

            Example:
              ingest sync --grace 0
            """)
        {
            grace, json,
        };
        command.SetAction((parse, stop) => SyncAsync(host, parse, parse.GetValue(grace), parse.GetValue(json), stop));
        return command;
    }

    private static async Task<int> SyncAsync(CliHost host, ParseResult parse, long grace, bool json, CancellationToken stop)
    {
        if (grace < 0)
        {
            await host.Error.WriteLineAsync("ingest sync: --grace must be 0 or more seconds.");
            return ExitCodes.Usage;
        }

        await using var pipeline = CommandContext.Open(host, parse, out var exit);
        if (pipeline is null)
        {
            return exit;
        }

        using var abort = CancellationTokenSource.CreateLinkedTokenSource(stop, host.Abort);
        // Files an earlier ingest left unfinished (it was killed) first: the sync would find them registered to the dead run.
        var recovered = await InterruptedRuns.FinishAsync(host, pipeline, abort.Token);
        foreach (var (key, recoveredResult) in recovered)
        {
            host.ErrorLine($"{RunResults.Line(recoveredResult, key)}");
        }

        var result = await pipeline.SyncAsync(grace, abort.Token);
        if (pipeline.Settings.Objects != "s3")
        {
            // Names the folder bucket cannot hold as keys: the sync passed them by; say so, as watch does.
            foreach (var (key, problem) in IncomingProblems.Find(pipeline.Data))
            {
                host.ErrorLine($"{key}: not ingested: {problem}");
            }
        }

        if (json)
        {
            JsonLines.Write(host.Out, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("status", Ingestion.States.ExecutionResult.StatusName(result.ExecutionStatus));
                writer.WriteNumber("total", result.Files);
                writer.WriteNumber("stale", result.StaleFiles);
                writer.WriteNumber("failed", result.FailedFiles);
                writer.WriteString("error", result.Error);
                writer.WriteString("cause", result.Cause);
                writer.WriteNumber("durationMs", (long)Math.Round(result.Duration.TotalMilliseconds));
                writer.WriteEndObject();
            });
        }
        else
        {
            host.MarkupLine($"NightlySync {Ingestion.States.ExecutionResult.StatusName(result.ExecutionStatus)}: {result.Files} file(s) in incoming/, {result.StaleFiles} older than {grace} s, {result.FailedFiles} failed ({Formats.Duration(result.Duration)}).");
            if (!result.Succeeded)
            {
                host.MarkupLine($"{result.Error}: {result.Cause}");
            }
            else
            {
                host.MarkupLine($"The digest (counts, rejections by reason, where each rejections CSV is) went to AdminAlerts: {CommandHint.For(parse, "outbox", "--topic", "AdminAlerts", "--limit", "1", "--full")}");
            }
        }

        return stop.IsCancellationRequested ? ExitCodes.Interrupted
            : result.Succeeded && result.FailedFiles == 0 && recovered.All(r => r.Result.Succeeded) ? ExitCodes.Success
            : ExitCodes.Failed;
    }
}
