using System.CommandLine;
using System.Text.Json;
using Ingestion.Cli.Output;
using Ingestion.Domain;
using Ingestion.Domain.Students;
using Spectre.Console;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest report KEY</c>: a file's report, every rejected and failed record with why.</summary>
internal static class ReportCommand
{
    public static Command Create(CliHost host)
    {
        var key = new Argument<string?>("KEY") { Description = "The file name (students.json), its key (incoming/students.json) or the report's key (reports/students.json.report.json).", Arity = ArgumentArity.ZeroOrOne };
        var json = CommandContext.Json("Print the report as stored (JSON).");
        var command = new DocumentedCommand("report", "Show a file's report: counts, every rejected record with its reasons, every failed record.", """
            Show the report of an ingested file: its status, counts, every rejected record with its index and reasons, and
            every failed record with its error. Reports are kept in the local bucket under reports/. Exit code 1 when
            there is no report for KEY.

            Example:
              ingest report students-mixed.json
            """)
        {
            key, json,
        };
        command.SetAction((parse, ct) => ShowAsync(host, parse, parse.GetValue(key), parse.GetValue(json), ct));
        return command;
    }

    private static async Task<int> ShowAsync(CliHost host, ParseResult parse, string? key, bool json, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            await host.Error.WriteLineAsync("ingest report: give the file, e.g. ingest report students.json");
            return ExitCodes.Usage;
        }

        await using var pipeline = CommandContext.OpenExisting(host, parse, ExitCodes.Failed, out var exit);
        if (pipeline is null)
        {
            return exit;
        }

        using var report = await pipeline.ReadReportAsync(key, ct);
        if (report is null)
        {
            await host.Error.WriteLineAsync($"ingest report: no report for {key} (ingest files lists what was ingested).");
            return ExitCodes.Failed;
        }

        if (json)
        {
            JsonLines.Write(host.Out, writer => report.RootElement.WriteTo(writer), indented: true);
            return ExitCodes.Success;
        }

        Render(host, report.RootElement);
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
        grid.AddRow("File", Markup.Escape($"{Text(file, "key")} (version {Text(file, "versionId")}, {Formats.Count(Number(file, "size"))} bytes)"));
        grid.AddRow("Status", Markup.Escape(Text(report, "status")));
        grid.AddRow("Execution", Markup.Escape(Text(report, "executionName")));
        grid.AddRow("Completed", Markup.Escape(Text(report, "completedAt")));
        var counts = report.TryGetProperty("counts", out var c) && c.ValueKind == JsonValueKind.Object ? DomainJson.ReadRunCounts(c) : RunCounts.Zero;
        grid.AddRow("Counts", Markup.Escape(RunResults.CountsText(counts)));
        if (report.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            grid.AddRow("Error", Markup.Escape($"{Text(error, "Error")}: {Text(error, "Cause")}"));
        }

        host.Render(grid);
        var border = host.OutIsTerminal ? TableBorder.Rounded : TableBorder.Markdown;
        if (report.TryGetProperty("rejected", out var rejected) && rejected.ValueKind == JsonValueKind.Array && rejected.GetArrayLength() > 0)
        {
            host.MarkupLine($"Rejected records ({rejected.GetArrayLength()}):");
            var table = new Table { Border = border };
            table.AddColumn(new TableColumn("Index").RightAligned());
            table.AddColumns("StudentID", "Reasons");
            foreach (var entry in rejected.EnumerateArray())
            {
                var reasons = entry.TryGetProperty("reasons", out var list) && list.ValueKind == JsonValueKind.Array
                    ? string.Join("\n", list.EnumerateArray().Select(r => $"{Text(r, "code")}{(Text(r, "field") is { Length: > 0 } field ? $" ({field})" : "")}: {Text(r, "message")}"))
                    : string.Empty;
                table.AddRow(Formats.Count(Number(entry, "index")), Markup.Escape(Text(entry, "studentId")), Markup.Escape(reasons));
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
                table.AddRow(Formats.Count(Number(entry, "index")), Markup.Escape(Text(entry, "studentId")), Markup.Escape(Text(entry, "error")), Markup.Escape(Formats.Short(Text(entry, "cause"), 120)));
            }

            host.Render(table);
        }
    }
}
