using System.Text.Json;
using Ingestion.Functions.Telemetry;

namespace Ingestion.Local.Metrics;

/// <summary>One metric's values added up across every EMF document of a metrics log.</summary>
/// <param name="Samples">How many values were recorded.</param>
public sealed record MetricTotal(string Namespace, string Name, string Unit, long Samples, double Sum, double Min, double Max)
{
    public double Average => Samples == 0 ? 0 : Sum / Samples;
}

/// <summary>
/// Totals of the CloudWatch Embedded Metric Format documents in a metrics log: what the dashboard would show summed
/// over all time. Lines that are not EMF documents are skipped; the log is streamed, never loaded whole.
/// </summary>
public static class MetricTotals
{
    /// <summary>Totals per (namespace, metric, unit), ordered by namespace and name.</summary>
    public static async Task<IReadOnlyList<MetricTotal>> ReadAsync(string metricsLog, CancellationToken cancellationToken = default)
    {
        var totals = new Dictionary<(string Namespace, string Name, string Unit), MetricTotal>();
        // The log is rotated by size: the totals cover the rotated files still kept, oldest first.
        foreach (var file in FileLineSink.FilesOf(metricsLog))
        {
            using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length > 0 && line[0] == '{')
                {
                    Add(line, totals);
                }
            }
        }

        return [.. totals.Values.OrderBy(t => t.Namespace, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal)];
    }

    private static void Add(string line, Dictionary<(string, string, string), MetricTotal> totals)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return; // A torn last line (a run killed mid-write) is not a metric.
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("_aws", out var aws) || aws.ValueKind != JsonValueKind.Object
                || !aws.TryGetProperty("CloudWatchMetrics", out var directives) || directives.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            foreach (var directive in directives.EnumerateArray())
            {
                var ns = directive.TryGetProperty("Namespace", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
                if (!directive.TryGetProperty("Metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var metric in metrics.EnumerateArray())
                {
                    if (!metric.TryGetProperty("Name", out var nameElement) || nameElement.GetString() is not { } name || !root.TryGetProperty(name, out var values))
                    {
                        continue;
                    }

                    var unit = metric.TryGetProperty("Unit", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : "None";
                    var key = (ns, name, unit);
                    var total = totals.GetValueOrDefault(key) ?? new MetricTotal(ns, name, unit, 0, 0, double.MaxValue, double.MinValue);
                    foreach (var value in values.ValueKind == JsonValueKind.Array ? values.EnumerateArray() : Enumerable.Repeat(values, 1))
                    {
                        if (value.TryGetDouble(out var number))
                        {
                            total = total with { Samples = total.Samples + 1, Sum = total.Sum + number, Min = Math.Min(total.Min, number), Max = Math.Max(total.Max, number) };
                        }
                    }

                    if (total.Samples > 0)
                    {
                        totals[key] = total;
                    }
                }
            }
        }
    }
}
