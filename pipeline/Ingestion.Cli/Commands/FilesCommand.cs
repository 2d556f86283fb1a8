using System.CommandLine;
using Ingestion.Cli.Output;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Spectre.Console;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest files</c>: the IngestionFiles ledger, newest first.</summary>
internal static class FilesCommand
{
    public static Command Create(CliHost host)
    {
        var limit = CommandContext.Limit("How many entries to show (newest first; default 50).");
        var json = CommandContext.Json("Print one JSON line per ledger entry.");
        var command = new DocumentedCommand("files", "List the file versions ingested (the IngestionFiles ledger), newest first.", """
            List the file versions the pipeline has seen (the IngestionFiles ledger), newest first: status (IN_PROGRESS,
            SUCCEEDED, FAILED, QUARANTINED), counts and report.

            Example:
              ingest files --limit 10
            """)
        {
            limit, json,
        };
        command.SetAction((parse, ct) => ListAsync(host, parse, parse.GetValue(limit) ?? 50, parse.GetValue(json), ct));
        return command;
    }

    private static async Task<int> ListAsync(CliHost host, ParseResult parse, int limit, bool json, CancellationToken ct)
    {
        if (!CommandContext.IsValidLimit(host, "ingest files", limit))
        {
            return ExitCodes.Usage;
        }

        await using var pipeline = CommandContext.OpenExisting(host, parse, ExitCodes.Success, out var exit);
        if (pipeline is null)
        {
            return exit;
        }

        var entries = await pipeline.Ledger.ListAsync(null, limit, ct).ToListAsync(ct);
        if (json)
        {
            foreach (var entry in entries)
            {
                JsonLines.Write(host.Out, writer => Write(writer, entry));
            }

            return ExitCodes.Success;
        }

        var table = new Table { Border = host.OutIsTerminal ? TableBorder.Rounded : TableBorder.Markdown };
        if (host.OutIsNarrow)
        {
            AddNarrowRows(host, table, entries);
        }
        else
        {
            table.AddColumns("Key", "Version", "Status", "Registered", "Received", "Rejected", "Failed", "Notified", "Report");
            foreach (var entry in entries)
            {
                var c = entry.Counts;
                table.AddRow(
                    Formats.Cell(entry.Key),
                    Formats.Cell(Formats.Short(entry.Version, 12)),
                    Formats.Cell(entry.Status.ToWire()),
                    Formats.Time(entry.RegisteredAt),
                    c is null ? "" : Formats.Count(c.Received),
                    c is null ? "" : Formats.Count(c.Rejected),
                    c is null ? "" : Formats.Count(c.Failed),
                    c is null ? "" : Formats.Count(c.Notified),
                    Formats.Cell(entry.ReportKey));
            }
        }

        host.Render(table);
        host.MarkupLine($"{entries.Count} file version(s){(entries.Count == limit ? $" (the newest {limit}; --limit N for more)" : "")}.");
        if (host.OutIsNarrow && entries.Count > 0)
        {
            host.MarkupLine($"Versions, times and reports: ingest report NAME --versions (or --json, or a terminal of 120 columns).");
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// Under 120 columns: the file's name (its key is incoming/ and the name), status and the three counts a registrar
    /// looks for. Versions, times and report keys, long and unbreakable, are `ingest report NAME --versions`'s.
    /// </summary>
    private static void AddNarrowRows(CliHost host, Table table, List<LedgerEntry> entries)
    {
        var statusWidth = entries.Select(e => e.Status.ToWire().Length).DefaultIfEmpty(0).Max();
        string[] counts = ["Received", "Rejected", "Failed"];
        var room = Formats.Room(host.OutWidth, 5, [Math.Max(statusWidth, "Status".Length), .. counts.Select(c => c.Length)]);
        table.AddColumn(new TableColumn("File").NoWrap());
        table.AddColumn(new TableColumn("Status").NoWrap());
        foreach (var count in counts)
        {
            table.AddColumn(new TableColumn(count).RightAligned().NoWrap());
        }

        foreach (var entry in entries)
        {
            var c = entry.Counts;
            table.AddRow(
                Formats.WrappedCell(ObjectKey.FileName(entry.Key), room),
                Formats.Cell(entry.Status.ToWire()),
                c is null ? "" : Formats.Count(c.Received),
                c is null ? "" : Formats.Count(c.Rejected),
                c is null ? "" : Formats.Count(c.Failed));
        }
    }

    private static void Write(System.Text.Json.Utf8JsonWriter writer, LedgerEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteString("bucket", entry.Bucket);
        writer.WriteString("key", entry.Key);
        writer.WriteString("version", entry.Version);
        writer.WriteString("etag", entry.ETag);
        writer.WriteNumber("size", entry.Size);
        writer.WriteString("sourceTime", TimeFormat.ToWire(entry.SourceTime));
        writer.WriteString("status", entry.Status.ToWire());
        writer.WriteString("executionName", entry.ExecutionName);
        writer.WriteString("registeredAt", TimeFormat.ToWire(entry.RegisteredAt));
        writer.WriteNumber("attempts", entry.Attempts);
        writer.WriteString("completedAt", entry.CompletedAt is { } completed ? TimeFormat.ToWire(completed) : null);
        writer.WritePropertyName("counts");
        if (entry.Counts is { } c)
        {
            DomainJson.Write(writer, c);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteString("reportKey", entry.ReportKey);
        writer.WritePropertyName("error");
        if (entry.Error is { } error)
        {
            writer.WriteStartObject();
            writer.WriteString("Error", error.Error);
            writer.WriteString("Cause", error.Cause);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteEndObject();
    }
}
