using System.CommandLine;
using System.Text.Json;
using Ingestion.Cli.Output;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Spectre.Console;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest report KEY</c>: a file's report, every rejected and failed record with why.</summary>
internal static class ReportCommand
{
    public static Command Create(CliHost host)
    {
        var key = new Argument<string?>("KEY") { Description = "The file name (students.json), its key (incoming/students.json) or a report's key (reports/…).", Arity = ArgumentArity.ZeroOrOne };
        var json = CommandContext.Json("Print the report as stored (JSON); the same as --format json.");
        var format = new Option<string?>("--format") { Description = "table (default), json (the report as stored) or csv (the rejections spreadsheet: a row per rejected record).", HelpName = "FORMAT" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var versions = new Option<bool>("--versions") { Description = "List every ingested version of the file, newest first, with its report." };
        var version = new Option<string?>("--version") { Description = "Show the report of this version (its id, or the start of it, as --versions lists them) instead of the newest.", HelpName = "V" };
        var command = new DocumentedCommand("report", "Show a file's report: counts, a summary by reason, every rejected record with its reasons, every failed record.", """
            Show the report of an ingested file: its status, counts, a summary of the rejections by reason (commonest
            first, with a row to look at), every rejected record with its row and reasons, and every failed record with
            its error. A file that looks wrong (more than half of it rejected) is called out with the likely cause.
            Every version of a file keeps its own report, with a rejections CSV beside it, under reports/<name>/ in the
            bucket: the newest is shown unless --version names another. Exit code 1 when there is no report for KEY.

            Example:
              ingest report students-mixed.json
              ingest report students-mixed.json --format csv > rejected.csv
              ingest report students-mixed.json --versions
              ingest report students-mixed.json --version 3f2a
            """)
        {
            key, json, format, versions, version,
        };
        command.SetAction((parse, ct) => ShowAsync(host, parse, new Request(
            parse.GetValue(key),
            parse.GetValue(json) ? "json" : parse.GetValue(format) ?? "table",
            parse.GetValue(json) && parse.GetValue(format) is not (null or "json"),
            parse.GetValue(versions),
            parse.GetValue(version)), ct));
        return command;
    }

    private sealed record Request(string? Key, string Format, bool Conflict, bool Versions, string? Version);

    private static async Task<int> ShowAsync(CliHost host, ParseResult parse, Request request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Key))
        {
            await host.Error.WriteLineAsync("ingest report: give the file, e.g. ingest report students.json");
            return ExitCodes.Usage;
        }

        if (request.Conflict || (request.Versions && request.Version is not null))
        {
            await host.Error.WriteLineAsync("ingest report: give one of --json and --format, and one of --versions and --version.");
            return ExitCodes.Usage;
        }

        await using var pipeline = CommandContext.OpenExisting(host, parse, ExitCodes.Failed, out var exit);
        if (pipeline is null)
        {
            return exit;
        }

        if (request.Versions)
        {
            return await ReportVersions.ListAsync(host, pipeline, request.Key, request.Format == "json", ct);
        }

        string? reportKey = null;
        if (request.Version is { } wanted)
        {
            var (entry, problem, ambiguous) = await ReportVersions.FindAsync(pipeline, request.Key, wanted, ct);
            if (entry?.ReportKey is null)
            {
                host.ErrorLine($"ingest report: {problem ?? $"version {entry!.Version} of {request.Key} has no report yet (it is {entry.Status.ToWire()})"}.");
                return ambiguous ? ExitCodes.Usage : ExitCodes.Failed;
            }

            reportKey = entry.ReportKey;
        }

        using var report = await pipeline.ReadReportAsync(reportKey ?? request.Key, ct);
        if (report is null)
        {
            host.ErrorLine($"ingest report: no report for {request.Key} (ingest files lists what was ingested).");
            return ExitCodes.Failed;
        }

        switch (request.Format)
        {
            case "json":
                JsonLines.Write(host.Out, writer => report.RootElement.WriteTo(writer), indented: true);
                return ExitCodes.Success;
            case "csv":
                return await WriteCsvAsync(host, pipeline, report.RootElement, request.Key, ct);
            default:
                Render(host, report.RootElement);
                return ExitCodes.Success;
        }
    }

    /// <summary>
    /// The rejections CSV as stored; on a terminal without its byte order mark, which only spreadsheets need, and with
    /// what a terminal would act on in its cells made visible (a pipe or a file gets the bytes a spreadsheet opens).
    /// </summary>
    private static async Task<int> WriteCsvAsync(CliHost host, Local.LocalPipeline pipeline, JsonElement report, string key, CancellationToken ct)
    {
        var csvKey = report.TryGetProperty("rejections", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : null;
        await using var content = csvKey is null ? null : await pipeline.OpenReportFileAsync(csvKey, ct);
        if (content is null)
        {
            host.ErrorLine($"ingest report: the report of {key} has no rejections CSV (reports written before there was one have none; ingest it again for one).");
            return ExitCodes.Failed;
        }

        using var reader = new StreamReader(content, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = await reader.ReadToEndAsync(ct);
        await host.Out.WriteAsync(host.OutIsTerminal ? TerminalText.VisibleLines(text) : "\uFEFF" + text);
        await host.Out.FlushAsync(ct);
        return ExitCodes.Success;
    }

    private static void Render(CliHost host, JsonElement report)
    {
        string Text(JsonElement parent, string name) =>
            parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
                ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()
                : string.Empty;
        long Number(JsonElement parent, string name) =>
            parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.TryGetInt64(out var n) ? n : 0;

        var file = report.TryGetProperty("file", out var f) ? f : default;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("File", Formats.Cell($"{Text(file, "key")} (version {Text(file, "versionId")}, {Formats.Count(Number(file, "size"))} bytes)"));
        grid.AddRow("Status", Formats.Cell(Text(report, "status")));
        grid.AddRow("Execution", Formats.Cell(Text(report, "executionName")));
        grid.AddRow("Completed", Formats.Cell(Text(report, "completedAt")));
        var counts = report.TryGetProperty("counts", out var c) ? c : default;
        grid.AddRow("Counts", Formats.Cell(RunResults.CountsText(c.ValueKind == JsonValueKind.Object ? DomainJson.ReadRunCounts(c) : RunCounts.Zero)));
        if (report.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            grid.AddRow("Error", Formats.Cell($"{Text(error, "Error")}: {Text(error, "Cause")}".Split('\n').Select(line => line.TrimEnd('\r'))));
        }

        if (report.TryGetProperty("callout", out var callout) && callout.ValueKind == JsonValueKind.Object)
        {
            grid.AddRow("[yellow]Check this file[/]", Formats.Cell(Text(callout, "message")));
        }

        // Under 120 columns the CSV's key (a long path with no space) is left to --json: the command that prints it fits.
        var narrow = host.OutIsNarrow;
        if (report.TryGetProperty("rejections", out var csv) && csv.ValueKind == JsonValueKind.String && Number(counts, "rejected") > 0)
        {
            var command = $"ingest report {Text(file, "key")[(Text(file, "key").LastIndexOf('/') + 1)..]} --format csv";
            grid.AddRow("Rejections CSV", Formats.Cell(narrow ? command : $"{csv.GetString()} ({command})"));
        }

        host.Render(grid);
        var border = host.OutIsTerminal ? TableBorder.Rounded : TableBorder.Markdown;
        if (report.TryGetProperty("summary", out var summary) && summary.ValueKind == JsonValueKind.Array && summary.GetArrayLength() > 0)
        {
            host.MarkupLine($"Rejections by reason (commonest first):");
            var table = new Table { Border = border };
            table.AddColumn("Reason");
            table.AddColumn(new TableColumn("Records").RightAligned());
            table.AddColumn(new TableColumn("Example row").RightAligned());
            foreach (var reason in summary.EnumerateArray())
            {
                var label = Text(reason, "field") is { Length: > 0 } field ? $"{Text(reason, "code")} ({field})" : Text(reason, "code");
                table.AddRow(Formats.Cell(label), Formats.Count(Number(reason, "count")), Formats.Count(Number(reason, "exampleRow")));
            }

            host.Render(table);
        }

        if (report.TryGetProperty("rejected", out var rejected) && rejected.ValueKind == JsonValueKind.Array && rejected.GetArrayLength() > 0)
        {
            host.MarkupLine($"Rejected records ({rejected.GetArrayLength()}):");
            // Under 120 columns the index goes (the row is what a spreadsheet shows) and a long StudentID is cut, so the
            // reasons keep the width to wrap between words.
            var table = new Table { Border = border };
            table.AddColumn(new TableColumn("Row").RightAligned());
            if (!narrow)
            {
                table.AddColumn(new TableColumn("Index").RightAligned());
            }

            table.AddColumns("StudentID", "Reasons");
            foreach (var entry in rejected.EnumerateArray())
            {
                IEnumerable<string> reasons = entry.TryGetProperty("reasons", out var list) && list.ValueKind == JsonValueKind.Array
                    ? list.EnumerateArray().Select(r => $"{Text(r, "code")}{(Text(r, "field") is { Length: > 0 } field ? $" ({field})" : "")}: {Text(r, "message")}")
                    : [];
                var studentId = narrow ? Formats.Short(Text(entry, "studentId"), 14) : Text(entry, "studentId");
                table.AddRow([Formats.Cell(Text(entry, "row")), .. narrow ? Array.Empty<string>() : [Formats.Count(Number(entry, "index"))], Formats.Cell(studentId), Formats.Cell(reasons)]);
            }

            host.Render(table);
        }

        if (report.TryGetProperty("failed", out var failed) && failed.ValueKind == JsonValueKind.Array && failed.GetArrayLength() > 0)
        {
            host.MarkupLine($"Failed records ({failed.GetArrayLength()}), retried by uploading the file again:");
            var table = new Table { Border = border };
            table.AddColumn(new TableColumn("Index").RightAligned());
            table.AddColumns("StudentID", "Error", "Cause");
            foreach (var entry in failed.EnumerateArray())
            {
                var studentId = narrow ? Formats.Short(Text(entry, "studentId"), 14) : Text(entry, "studentId");
                table.AddRow(Formats.Count(Number(entry, "index")), Formats.Cell(studentId), narrow ? Formats.WrappedCell(Text(entry, "error"), 18) : Formats.Cell(Text(entry, "error")), Formats.Cell(Formats.Short(Text(entry, "cause"), 120)));
            }

            host.Render(table);
        }
    }
}
