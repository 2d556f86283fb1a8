using Ingestion.Cli.Output;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Local;
using Spectre.Console;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest report NAME --versions</c> and <c>--version V</c>: every version of a file keeps its own report.</summary>
internal static class ReportVersions
{
    private const int NarrowVersionChars = 12;

    public static async Task<int> ListAsync(CliHost host, LocalPipeline pipeline, string key, bool json, CancellationToken ct)
    {
        var entries = await pipeline.ReportVersionsAsync(key, cancellationToken: ct);
        if (entries.Count == 0)
        {
            host.ErrorLine($"ingest report: no version of {key} was ingested (ingest files lists what was).");
            return ExitCodes.Failed;
        }

        if (json)
        {
            foreach (var entry in entries)
            {
                JsonLines.Write(host.Out, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("key", entry.Key);
                    writer.WriteString("version", entry.Version);
                    writer.WriteString("registeredAt", TimeFormat.ToWire(entry.RegisteredAt));
                    writer.WriteString("status", entry.Status.ToWire());
                    writer.WriteString("reportKey", entry.ReportKey);
                    writer.WriteEndObject();
                });
            }

            return ExitCodes.Success;
        }

        // Under 120 columns the report's key (a long path: --json has it) goes, and versions are cut to their start,
        // which is all --version needs.
        var narrow = host.OutIsNarrow;
        var table = new Table { Border = host.OutIsTerminal ? TableBorder.Rounded : TableBorder.Markdown };
        table.AddColumn(new TableColumn("Version").NoWrap());
        table.AddColumns("Registered", "Status");
        table.AddColumn(new TableColumn("Received").RightAligned());
        table.AddColumn(new TableColumn("Rejected").RightAligned());
        if (!narrow)
        {
            table.AddColumn("Report");
        }

        foreach (var entry in entries)
        {
            table.AddRow([
                Formats.Cell(narrow ? entry.Version[..Math.Min(entry.Version.Length, NarrowVersionChars)] : entry.Version),
                Formats.Time(entry.RegisteredAt),
                Formats.Cell(entry.Status.ToWire()),
                entry.Counts is { } c ? Formats.Count(c.Received) : "",
                entry.Counts is { } r ? Formats.Count(r.Rejected) : "",
                .. narrow ? Array.Empty<string>() : [Formats.Cell(entry.ReportKey ?? "")],
            ]);
        }

        host.Render(table);
        host.MarkupLine($"{entries.Count} version(s), newest first; ingest report {Path.GetFileName(key)} --version V shows one{(narrow ? $" (versions are cut to their first {NarrowVersionChars} characters, which --version takes)" : "")}.");
        return ExitCodes.Success;
    }

    /// <summary>The ledger entry of the version <paramref name="wanted"/> names (its id or a unique start of it), or why there is none.</summary>
    public static async Task<(LedgerEntry? Entry, string? Problem, bool Ambiguous)> FindAsync(LocalPipeline pipeline, string key, string wanted, CancellationToken ct)
    {
        var entries = await pipeline.ReportVersionsAsync(key, limit: 1000, cancellationToken: ct);
        if (entries.FirstOrDefault(e => e.Version == wanted) is { } exact)
        {
            return (exact, null, false);
        }

        var matches = entries.Where(e => e.Version.StartsWith(wanted, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => (matches[0], null, false),
            0 => (null, $"no version {wanted} of {key} (ingest report {Path.GetFileName(key)} --versions lists them)", false),
            _ => (null, $"{wanted} matches {matches.Count} versions of {key}; give more of the version id", true),
        };
    }
}
