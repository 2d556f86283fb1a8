using System.CommandLine;
using Ingestion.Cli.Output;
using Ingestion.Local.Metrics;
using Spectre.Console;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest metrics</c>: totals of the Embedded Metric Format documents written so far.</summary>
internal static class MetricsCommand
{
    public static Command Create(CliHost host)
    {
        var json = CommandContext.Json("Print one JSON line per metric (namespace, metric, unit, samples, sum, min, max, average).");
        var command = new DocumentedCommand("metrics", "Total the CloudWatch metrics (Embedded Metric Format) written to <data>/logs/metrics.log.", """
            Add up the CloudWatch metrics the pipeline has written to <data>/logs/metrics.log (Embedded Metric Format, as
            the functions emit them on AWS): students received, created, updated, unchanged, rejected, failed,
            notifications published, files processed and quarantined, batch durations, stale files.

            Example:
              ingest metrics
            """)
        {
            json,
        };
        command.SetAction((parse, ct) => ShowAsync(host, parse, parse.GetValue(json), ct));
        return command;
    }

    private static async Task<int> ShowAsync(CliHost host, ParseResult parse, bool json, CancellationToken ct)
    {
        if (!CommandContext.HasData(host, parse))
        {
            return ExitCodes.Success;
        }

        var totals = await MetricTotals.ReadAsync(CommandContext.Folder(host, parse).MetricsLog, ct);
        if (json)
        {
            foreach (var total in totals)
            {
                JsonLines.Write(host.Out, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("namespace", total.Namespace);
                    writer.WriteString("metric", total.Name);
                    writer.WriteString("unit", total.Unit);
                    writer.WriteNumber("samples", total.Samples);
                    writer.WriteNumber("sum", total.Sum);
                    writer.WriteNumber("min", total.Min);
                    writer.WriteNumber("max", total.Max);
                    writer.WriteNumber("average", total.Average);
                    writer.WriteEndObject();
                });
            }

            return ExitCodes.Success;
        }

        if (host.OutIsNarrow)
        {
            RenderNarrow(host, totals);
            return ExitCodes.Success;
        }

        var table = new Table { Border = host.OutIsTerminal ? TableBorder.Rounded : TableBorder.Markdown };
        table.AddColumns("Namespace", "Metric", "Unit");
        foreach (var name in (ReadOnlySpan<string>)["Samples", "Sum", "Min", "Max", "Average"])
        {
            table.AddColumn(new TableColumn(name).RightAligned());
        }

        foreach (var total in totals)
        {
            table.AddRow(
                Formats.Cell(total.Namespace),
                Formats.Cell(total.Name),
                Formats.Cell(total.Unit),
                Formats.Count(total.Samples),
                Formats.Number(total.Sum),
                Formats.Number(total.Min),
                Formats.Number(total.Max),
                Formats.Number(total.Average));
        }

        host.Render(table);
        return ExitCodes.Success;
    }

    /// <summary>
    /// Under 120 columns: a table per namespace, titled with it (there is one, StudentIngestion), without Min and Max,
    /// so that metric names and units stay whole; <c>--json</c> has every figure.
    /// </summary>
    private static void RenderNarrow(CliHost host, IReadOnlyList<MetricTotal> totals)
    {
        foreach (var group in totals.GroupBy(t => t.Namespace))
        {
            var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle(Formats.Cell(group.Key)) };
            table.AddColumn(new TableColumn("Metric").NoWrap());
            table.AddColumn(new TableColumn("Unit").NoWrap());
            foreach (var name in (ReadOnlySpan<string>)["Samples", "Sum", "Average"])
            {
                table.AddColumn(new TableColumn(name).RightAligned().NoWrap());
            }

            foreach (var total in group)
            {
                table.AddRow(Formats.Cell(total.Name), Formats.Cell(total.Unit), Formats.Count(total.Samples), Formats.Number(total.Sum), Formats.Number(total.Average));
            }

            host.Render(table);
        }

        host.MarkupLine($"Min and max: ingest metrics --json (or a terminal of 120 columns).");
    }
}
