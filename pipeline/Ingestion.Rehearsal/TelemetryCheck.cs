using System.Text.Json;
using System.Text.RegularExpressions;
using Ingestion.Rehearsal.Template;

namespace Ingestion.Rehearsal;

/// <summary>
/// Reads the functions' log streams as CloudWatch Logs would: EMF documents become metrics (namespace, name, dimension
/// set); every other line is a log line that must carry no student's name or e-mail address.
/// </summary>
internal static partial class TelemetryCheck
{
    /// <summary>The metrics the EMF documents among <paramref name="lines"/> emit in <paramref name="metricsNamespace"/>: name and dimension set.</summary>
    public static HashSet<(string Name, string Dimensions)> EmittedMetrics(IEnumerable<string> lines, string metricsNamespace)
    {
        var emitted = new HashSet<(string, string)>();
        foreach (var line in lines.Where(l => l.StartsWith('{') && l.Contains("\"_aws\"", StringComparison.Ordinal)))
        {
            using var document = JsonDocument.Parse(line);
            foreach (var directive in document.RootElement.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray())
            {
                if (directive.GetProperty("Namespace").GetString() != metricsNamespace)
                {
                    continue;
                }

                var sets = directive.GetProperty("Dimensions").EnumerateArray().Select(set => CloudAssembly.DimensionKey(set.EnumerateArray().Select(d => d.GetString()!))).ToList();
                foreach (var metric in directive.GetProperty("Metrics").EnumerateArray())
                {
                    foreach (var set in sets)
                    {
                        emitted.Add((metric.GetProperty("Name").GetString()!, set));
                    }
                }
            }
        }

        return emitted;
    }

    /// <summary>Log lines that carry an e-mail address, or one of <paramref name="names"/>.</summary>
    public static IEnumerable<string> PersonalDataLeaks(string function, IEnumerable<string> lines, IReadOnlyCollection<string> names)
    {
        foreach (var line in lines)
        {
            if (EmailAddress().Match(line) is { Success: true } email)
            {
                yield return $"{function} logged an e-mail address ({email.Value[..1]}…): {Shorten(line)}";
            }
            else if (names.FirstOrDefault(n => line.Contains(n, StringComparison.Ordinal)) is { } name)
            {
                yield return $"{function} logged a student's name ({name[..1]}…): {Shorten(line)}";
            }
        }
    }

    /// <summary>The <c>Name</c> and <c>Email</c> values of a JSON, JSON Lines or CSV export (what must never reach a log).</summary>
    public static IReadOnlyCollection<string> PersonalValues(string path)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        var text = File.ReadAllText(path);
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var header = rows.Length > 0 ? rows[0].Split(',') : [];
            var columns = header.Select((h, i) => (h.Trim('"'), i)).Where(c => c.Item1 is "Name" or "Email").Select(c => c.i).ToList();
            foreach (var row in rows.Skip(1).Select(r => r.Split(',')))
            {
                values.UnionWith(columns.Where(c => c < row.Length).Select(c => row[c].Trim('"')));
            }
        }
        else
        {
            var documents = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? [text] : text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var document in documents)
            {
                try
                {
                    using var parsed = JsonDocument.Parse(document);
                    Collect(parsed.RootElement, values);
                }
                catch (JsonException)
                {
                    // An unreadable file is quarantined whole: nothing in it is a student's record.
                }
            }
        }

        // Very short values ("A") would match anything; a name is what the report identifies a person by.
        values.RemoveWhere(v => v.Length < 4);
        return values;
    }

    private static void Collect(JsonElement element, HashSet<string> values)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, values);
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name is "Name" or "Email" && property.Value.ValueKind == JsonValueKind.String)
                {
                    values.Add(property.Value.GetString()!);
                }
            }
        }
    }

    private static string Shorten(string line) => line.Length > 160 ? line[..160] + "…" : line;

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex EmailAddress();
}
