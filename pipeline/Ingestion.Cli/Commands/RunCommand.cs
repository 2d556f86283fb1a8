using System.CommandLine;
using Ingestion.Cli.Output;
using Ingestion.Domain.Storage;
using Ingestion.Local;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest run FILE… [--json]</c>: what S3, EventBridge and Step Functions do with an upload, locally.</summary>
internal static class RunCommand
{
    public static Command Create(CliHost host)
    {
        var files = new Argument<string[]>("FILE") { Description = "Student files to ingest: .json (an array), .jsonl/.ndjson, or .csv with a header row.", Arity = ArgumentArity.ZeroOrMore };
        var json = CommandContext.Json("Print one JSON line per file (file, key, status, the counts, notified, report, durationMs) instead of the table.");
        var command = new DocumentedCommand("run", "Ingest student files through the IngestFile state machine, as an upload to the deployed bucket would be.", """
            Ingest student files with the real IngestFile state machine, locally.

            Each FILE is uploaded to incoming/<name> of the local bucket (a new version), its S3 "Object Created" event
            goes through the EventBridge rule, and the IngestFile execution it starts runs to the end: every student is
            validated, stored (created, updated, unchanged, replayed or stale) or rejected with reasons, changes are
            announced in the outbox, and a report and a rejections CSV are written under reports/<name>/ (a pair per
            version). Files run one after another.

            Exit code: 0 when every execution succeeded (rejected records are not a failure), 1 when one failed (e.g. a
            file that cannot be read is quarantined, or records failed: then the file stays in incoming/ and
            `ingest redrive NAME` retries it), 2 on a usage error (e.g. a FILE that does not exist).

            Ctrl+C stops the file in flight (exit code 130): the table says what the batches that finished stored, the
            file stays in incoming/, and `ingest redrive NAME` finishes it (so does the next run or sync, first). Files
            an earlier ingest left unfinished (stopped or killed part-way) are ingested again first.

            Example:
              ingest run testdata/students-mixed.json
              ingest run exports/*.csv --json
            """)
        {
            files, json,
        };
        command.SetAction((parse, stop) => RunAsync(host, parse, parse.GetValue(files) ?? [], parse.GetValue(json), stop));
        return command;
    }

    private static async Task<int> RunAsync(CliHost host, ParseResult parse, string[] files, bool json, CancellationToken stop)
    {
        if (files.Length == 0)
        {
            await host.Error.WriteLineAsync("ingest run: give at least one FILE, e.g. ingest run testdata/students.json");
            return ExitCodes.Usage;
        }

        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                host.ErrorLine(Directory.Exists(file) ? (FormattableString)$"ingest run: {file} is a folder, not a file" : $"ingest run: no such file: {file}");
                return ExitCodes.Usage;
            }
        }

        await using var pipeline = CommandContext.Open(host, parse, out var exit);
        if (pipeline is null)
        {
            return exit;
        }

        // Files an earlier ingest left unfinished (it was killed) go first: the files given may replace them.
        List<(string File, FileRunResult Result)> results;
        using (var first = CancellationTokenSource.CreateLinkedTokenSource(stop, host.Abort))
        {
            results = await InterruptedRuns.FinishAsync(host, pipeline, first.Token);
        }

        if (json)
        {
            foreach (var (key, result) in results)
            {
                RunResults.WriteJson(host.Out, result, key);
            }
        }

        foreach (var file in files)
        {
            if (stop.IsCancellationRequested)
            {
                break;
            }

            FileRun run;
            try
            {
                run = await pipeline.StartFileAsync(file, CancellationToken.None);
            }
            catch (InvalidObjectKeyException e)
            {
                host.ErrorLine($"ingest run: {file} cannot be uploaded: {e.Message}");
                return ExitCodes.Usage;
            }

            // The first Ctrl+C stops the run in flight: it ends ABORTED and nothing else starts.
            using var abort = CancellationTokenSource.CreateLinkedTokenSource(stop, host.Abort);
            var result = await RunProgressView.FollowAsync(host, run, Path.GetFileName(file), abort.Token);
            results.Add((file, result));
            if (json)
            {
                RunResults.WriteJson(host.Out, result, file);
            }
        }

        if (!json)
        {
            Summarize(host, parse, pipeline, results);
        }
        else
        {
            // The JSON lines carry the counts; how to finish goes where people read, not into the data.
            foreach (var (_, result) in results.Where(r => IsInterrupted(r.Result)))
            {
                host.ErrorLine($"{Path.GetFileName(result.Key)}: {FinishHint(parse, result)}");
            }
        }

        return stop.IsCancellationRequested ? ExitCodes.Interrupted
            : results.All(r => r.Result.Succeeded) ? ExitCodes.Success
            : ExitCodes.Failed;
    }

    private static void Summarize(CliHost host, ParseResult parse, LocalPipeline pipeline, List<(string File, FileRunResult Result)> results)
    {
        host.Render(RunResults.Table(results, host));
        foreach (var line in RunResults.CalloutLines(results))
        {
            host.MarkupLine($"{line}");
        }

        foreach (var (file, result) in results.Where(r => r.Result.Status is not ("SUCCEEDED" or "FAILED")))
        {
            var why = IsInterrupted(result) ? $"{RunResults.Why(result)}. {FinishHint(parse, result)}" : RunResults.Why(result);
            host.MarkupLine($"{Path.GetFileName(file)}: {result.Status}: {why}");
        }

        foreach (var (file, result) in results.Where(r => r.Result.Status == "FAILED"))
        {
            host.MarkupLine($"{Path.GetFileName(result.Key)}: FAILED: {result.Counts.Failed} record(s) could not be processed; the file stays in incoming/. Retry: {CommandHint.For(parse, "redrive", IncomingName(result))}");
        }

        var reports = results.Where(r => r.Result.ReportKey is not null).ToList();
        if (reports.Count > 0)
        {
            var folder = pipeline.Settings.Objects == "s3"
                ? $"s3://{pipeline.BucketName}/reports"
                : Path.GetRelativePath(Environment.CurrentDirectory, pipeline.Data.BucketPath(LocalPipeline.Bucket, "reports"));
            host.MarkupLine($"Reports: {CommandHint.For(parse, "report", Path.GetFileName(reports[0].File))} (files in {folder}{Path.DirectorySeparatorChar})");
        }
    }

    /// <summary>Stopped by Ctrl+C (or the pipeline closing): the file waits in incoming/ for the next ingest.</summary>
    private static bool IsInterrupted(FileRunResult result) =>
        result.Status == "ABORTED" && result.Error is LocalPipeline.StoppedError or LocalPipeline.ShutdownError;

    private static string FinishHint(ParseResult parse, FileRunResult result) =>
        $"The file stays in incoming/; finish it with: {CommandHint.For(parse, "redrive", IncomingName(result))} (the next ingest run or sync on this data folder also finishes it first).";

    /// <summary>What <c>ingest redrive</c> takes: the key below incoming/.</summary>
    private static string IncomingName(FileRunResult result) =>
        result.Key.StartsWith(LocalPipeline.IncomingPrefix, StringComparison.Ordinal) ? result.Key[LocalPipeline.IncomingPrefix.Length..] : result.Key;
}
