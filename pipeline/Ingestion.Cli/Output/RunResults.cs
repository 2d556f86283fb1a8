using Ingestion.Domain;
using Ingestion.Domain.Students;
using Ingestion.Local;
using Spectre.Console;

namespace Ingestion.Cli.Output;

/// <summary>How <c>ingest run</c> and <c>ingest watch</c> print the result of a file.</summary>
internal static class RunResults
{
    /// <summary>
    /// The <c>--json</c> line: the fields issue 5 lists, and for a file that did not run through (QUARANTINED, FAILED,
    /// ABORTED…) its <c>error</c> and <c>cause</c>, the cause being the reason in one line, as the table run prints it.
    /// </summary>
    public static void WriteJson(TextWriter output, FileRunResult result, string file) => JsonLines.Write(output, writer =>
    {
        var counts = result.Counts;
        writer.WriteStartObject();
        writer.WriteString("file", file);
        writer.WriteString("key", result.Key);
        writer.WriteString("status", result.Status);
        DomainJson.WriteProperties(writer, counts);
        writer.WriteString("report", result.ReportKey);
        if (result.Callout is { } callout)
        {
            writer.WriteString("callout", callout); // only for a file more than half rejected: its absence says all is well
        }

        writer.WriteNumber("durationMs", (long)Math.Round(result.Duration.TotalMilliseconds));
        if (result.Error is not null)
        {
            writer.WriteString("error", result.Error);
            writer.WriteString("cause", Reason(result.Cause));
        }

        writer.WriteEndObject();
    });

    /// <summary>One line per file, for logs and <c>ingest watch</c>.</summary>
    public static string Line(FileRunResult result, string file)
    {
        var c = result.Counts;
        var counts = result.Status is "SUCCEEDED" or "FAILED"
            ? CountsText(c)
            : Why(result);
        var line = $"{file}: {result.Status}, {counts} ({Formats.Duration(result.Duration)})";
        return result.Callout is { } callout ? $"{line}; CHECK THIS FILE: {callout}" : line;
    }

    /// <summary>A line under the table for each file that looks wrong (more than half of it rejected), with the likely cause.</summary>
    public static IEnumerable<string> CalloutLines(IEnumerable<(string File, FileRunResult Result)> results) =>
        results.Where(r => r.Result.Callout is not null).Select(r => $"{Path.GetFileName(r.File)}: CHECK THIS FILE: {r.Result.Callout}");

    /// <summary>Every count in words, as the run line and <c>ingest report</c> print them.</summary>
    public static string CountsText(RunCounts c) =>
        $"{Formats.Count(c.Received)} received: {Formats.Count(c.Created)} created, {Formats.Count(c.Updated)} updated, {Formats.Count(c.Unchanged)} unchanged, {Formats.Count(c.Replayed)} replayed, {Formats.Count(c.Stale)} stale, {Formats.Count(c.Rejected)} rejected, {Formats.Count(c.Failed)} failed; {Formats.Count(c.Notified)} notified";

    /// <summary>
    /// The summary table after every file has run. The outcomes share one column, naming only those that happened
    /// ("6 created, 9 rejected"), so the table fits a terminal of 80 columns.
    /// </summary>
    public static Table Table(IReadOnlyList<(string File, FileRunResult Result)> results, bool terminal)
    {
        var table = new Table { Border = terminal ? TableBorder.Rounded : TableBorder.Markdown };
        table.AddColumn(new TableColumn("File").NoWrap());
        table.AddColumn(new TableColumn("Status").NoWrap());
        table.AddColumn(new TableColumn("Received").RightAligned());
        table.AddColumn("Outcome");
        table.AddColumn(new TableColumn("Notified").RightAligned());
        table.AddColumn(new TableColumn("Time").RightAligned());
        foreach (var (file, result) in results)
        {
            var c = result.Counts;
            var status = result.Callout is not null ? $"[yellow]{result.Status}[/]"
                : result.Succeeded ? $"[green]{result.Status}[/]" : $"[red]{result.Status}[/]";
            table.AddRow(
                Formats.Cell(Path.GetFileName(file)),
                status,
                Formats.Count(c.Received),
                Markup.Escape(Outcome(result)),
                Formats.Count(c.Notified),
                Formats.Duration(result.Duration));
        }

        return table;
    }

    /// <summary>The outcomes that happened: <c>3 updated, 17 unchanged</c>; every one of them adds up to Received.</summary>
    public static string Outcome(FileRunResult result) => Outcome(result.Counts);

    private static string Outcome(RunCounts c)
    {
        var parts = new (long Count, string Name)[]
        {
            (c.Created, "created"), (c.Updated, "updated"), (c.Unchanged, "unchanged"), (c.Replayed, "replayed"),
            (c.Stale, "stale"), (c.Rejected, "rejected"), (c.Failed, "failed"),
        }.Where(p => p.Count > 0).Select(p => $"{Formats.Count(p.Count)} {p.Name}").ToList();
        return parts.Count > 0 ? string.Join(", ", parts) : "-";
    }

    /// <summary>Why a file did not run through: the error's first line, shortened.</summary>
    public static string Why(FileRunResult result) => result.Status switch
    {
        "ALREADY_PROCESSED" => "this version was already ingested (or is being ingested); nothing written",
        "SKIPPED_RECENT" => "younger than the grace period; its own event will ingest it",
        "MISSING" => "the object is gone",
        // A quarantined file's error is FileQuarantined: the reason is what matters.
        "QUARANTINED" => Reason(result.Cause),
        "ABORTED" when result.Error is LocalPipeline.StoppedError or LocalPipeline.ShutdownError => Interrupted(result.Counts),
        _ => $"{result.Error}: {Reason(result.Cause)}",
    };

    /// <summary>What an interrupted run had done: the batches that finished, in counts, so nobody reads "0 received".</summary>
    public static string Interrupted(RunCounts soFar) => soFar.Received == 0
        ? "interrupted before any batch finished; nothing was stored"
        : $"interrupted after {Formats.Count(soFar.Received)} students: {Outcome(soFar)}; the rest was not ingested";

    /// <summary>SummarizeRun's message names the reason on a line of its own; otherwise the first line says it.</summary>
    private static string Reason(string? text)
    {
        var lines = (text ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var line = lines.FirstOrDefault(l => l.StartsWith("Reason: ", StringComparison.Ordinal) || l.StartsWith("Error: ", StringComparison.Ordinal))
            is { } reason ? reason[(reason.IndexOf(' ', StringComparison.Ordinal) + 1)..] : lines.FirstOrDefault() ?? string.Empty;
        return Formats.Short(line, 300);
    }
}
