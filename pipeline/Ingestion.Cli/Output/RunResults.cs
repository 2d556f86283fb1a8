using Ingestion.Domain;
using Ingestion.Domain.Students;
using Ingestion.Local;
using Spectre.Console;

namespace Ingestion.Cli.Output;

/// <summary>How <c>ingest run</c> and <c>ingest watch</c> print the result of a file.</summary>
internal static class RunResults
{
    /// <summary>What the outcomes column keeps on a narrow terminal: "15 received: 6 created," on one line.</summary>
    private const int NarrowOutcomeWidth = 24;

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
    /// ("6 created, 9 rejected"). On a terminal under 120 columns (<see cref="CliHost.OutIsNarrow"/>) Notified and Time
    /// go (the run line and <c>--json</c> have them), Received joins the outcomes, and a file name longer than the room
    /// left is wrapped at its own breaks, so the table fits 80 columns without cutting words.
    /// </summary>
    public static Table Table(IReadOnlyList<(string File, FileRunResult Result)> results, CliHost host)
    {
        var table = new Table { Border = host.OutIsTerminal ? TableBorder.Rounded : TableBorder.Markdown };
        if (host.OutIsNarrow)
        {
            // The outcomes keep room for "15 received: 6 created," on a line; the name gets the rest, wrapped where it
            // breaks; the outcomes then fill what the names left, a line broken only between two outcomes.
            var statusWidth = Math.Max(results.Max(r => r.Result.Status.Length), "Status".Length);
            var room = Formats.Room(host.OutWidth, 3, statusWidth, NarrowOutcomeWidth);
            var names = results.Select(r => Formats.Wrap(TerminalText.Visible(Path.GetFileName(r.File)), room)).ToList();
            var nameWidth = Math.Max(names.Max(n => n.Split('\n').Max(line => line.Length)), "File".Length);
            var outcomeWidth = Formats.Room(host.OutWidth, 3, statusWidth, nameWidth);
            table.AddColumn(new TableColumn("File").NoWrap());
            table.AddColumn(new TableColumn("Status").NoWrap());
            table.AddColumn("Outcome");
            for (var i = 0; i < results.Count; i++)
            {
                table.AddRow(Markup.Escape(names[i]), Status(results[i].Result), Markup.Escape(Formats.JoinWrapped(OutcomeParts(results[i].Result), outcomeWidth)));
            }

            return table;
        }

        table.AddColumn(new TableColumn("File").NoWrap());
        table.AddColumn(new TableColumn("Status").NoWrap());
        table.AddColumn(new TableColumn("Received").RightAligned());
        table.AddColumn("Outcome");
        table.AddColumn(new TableColumn("Notified").RightAligned());
        table.AddColumn(new TableColumn("Time").RightAligned());
        foreach (var (file, result) in results)
        {
            var c = result.Counts;
            table.AddRow(
                Formats.Cell(Path.GetFileName(file)),
                Status(result),
                Formats.Count(c.Received),
                Formats.Cell(Outcome(result)),
                Formats.Count(c.Notified),
                Formats.Duration(result.Duration));
        }

        return table;
    }

    /// <summary>The outcomes as parts to wrap between: <c>15 received:</c>, <c>6 created,</c>, <c>9 rejected</c>.</summary>
    private static IEnumerable<string> OutcomeParts(FileRunResult result)
    {
        var outcomes = Outcome(result).Split(", ");
        var parts = outcomes.Select((outcome, i) => i < outcomes.Length - 1 ? outcome + "," : outcome);
        return result.Counts.Received > 0 ? [$"{Formats.Count(result.Counts.Received)} received:", .. parts] : parts;
    }

    private static string Status(FileRunResult result) =>
        result.Callout is not null ? $"[yellow]{result.Status}[/]"
        : result.Succeeded ? $"[green]{result.Status}[/]" : $"[red]{result.Status}[/]";

    /// <summary>The outcomes that happened: <c>3 updated, 17 unchanged</c>; every one of them adds up to Received.</summary>
    public static string Outcome(FileRunResult result) => Outcome(result.Counts);

    public static string Outcome(RunCounts c)
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
