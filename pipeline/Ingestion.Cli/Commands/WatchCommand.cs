using System.CommandLine;
using System.Globalization;
using Ingestion.Cli.Output;
using Ingestion.Local.Watching;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest watch</c>: ingests every file dropped into the local bucket's <c>incoming/</c> folder, until Ctrl+C.</summary>
internal static class WatchCommand
{
    public static Command Create(CliHost host)
    {
        var settle = new Option<double>("--settle")
        {
            Description = "Seconds a file's size and modification time must stay unchanged before it is taken.",
            DefaultValueFactory = _ => 2,
            HelpName = "SECONDS",
        };
        var json = CommandContext.Json("Print one JSON line per file, as `ingest run --json` does.");
        var command = new DocumentedCommand("watch", "Ingest every file dropped into the local bucket's incoming/ folder, until Ctrl+C.", """
            Watch the local bucket's incoming/ folder and ingest every file that appears there, until Ctrl+C.

            Drop files into <data>/s3/ingestion/incoming/ (sub-folders too). Each one is sent through the EventBridge
            rule and the IngestFile state machine, one at a time, exactly as an upload to the deployed bucket would be;
            files already there when the watch starts are taken too. A file is taken once its size and modification
            time have not changed for --settle seconds, so a file still being copied in is not read half-way; to be
            safe whatever the writer, write it elsewhere (or under a name starting with '.') and move it in: a rename
            is atomic. Names starting with '.' or ending with '~' are ignored.

            Ctrl+C stops watching once the file in flight is done; a second Ctrl+C stops that file too (it ends
            ABORTED). Exit code 0 after a clean stop. A file an earlier ingest left unfinished (it was killed
            part-way) is ingested again first.

            Example:
              ingest watch &
              cp testdata/students.json .ingest/s3/ingestion/incoming/
            """)
        {
            settle, json,
        };
        command.SetAction((parse, stop) => WatchAsync(host, parse, parse.GetValue(settle), parse.GetValue(json), stop));
        return command;
    }

    private static async Task<int> WatchAsync(CliHost host, ParseResult parse, double settleSeconds, bool json, CancellationToken stop)
    {
        if (settleSeconds is < 0 or > 3600 || double.IsNaN(settleSeconds))
        {
            await host.Error.WriteLineAsync("ingest watch: --settle must be between 0 and 3600 seconds.");
            return ExitCodes.Usage;
        }

        await using var pipeline = CommandContext.Open(host, parse, out var exit);
        if (pipeline is null)
        {
            return exit;
        }

        // A file an earlier ingest left half-done (it was killed) is finished first; the watcher would find it
        // registered to the dead run and leave it.
        foreach (var (key, result) in await InterruptedRuns.FinishAsync(host, pipeline, host.Abort))
        {
            if (json)
            {
                RunResults.WriteJson(host.Out, result, key);
            }
            else
            {
                host.OutLine($"{RunResults.Line(result, key)}");
            }
        }

        var watcher = new IncomingWatcher(pipeline, new IncomingWatcherOptions { Settle = TimeSpan.FromSeconds(settleSeconds) });
        Directory.CreateDirectory(watcher.Folder);
        host.ErrorLine($"Watching {watcher.Folder} (files are taken once unchanged for {settleSeconds:0.#} s). Ctrl+C to stop.");
        await watcher.RunAsync(
            async run =>
            {
                host.ErrorLine($"{run.Object.Key}: ingesting ({Formats.Count(run.Object.Size)} bytes)");
                await RunProgressView.FollowAsync(host, run, run.Object.Key, host.Abort);
            },
            file =>
            {
                if (file.Result is not { } result)
                {
                    host.ErrorLine($"{file.Key}: not ingested: {file.Problem}");
                }
                else if (json)
                {
                    RunResults.WriteJson(host.Out, result, file.Key);
                }
                else
                {
                    host.OutLine($"{RunResults.Line(result, file.Key)}");
                }

                return Task.CompletedTask;
            },
            stop,
            host.Abort);
        await host.Error.WriteLineAsync("Stopped watching.");
        return ExitCodes.Success;
    }
}
