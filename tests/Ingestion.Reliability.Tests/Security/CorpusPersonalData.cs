using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ingestion.Reliability.Tests.Support;
using Ingestion.Testing;

namespace Ingestion.Reliability.Tests.Security;

/// <summary>The names and e-mail addresses the bad-input corpus holds, whether or not its files can be parsed.</summary>
public static partial class CorpusPersonalData
{
    public static (IReadOnlyList<string> Names, IReadOnlyList<string> Emails) Collect()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in Directory.EnumerateFiles(LocalScenario.TestData("bad")))
        {
            if (Path.GetFileName(path) is "manifest.json" or ".gitattributes")
            {
                continue;
            }

            var text = Encoding.UTF8.GetString(File.ReadAllBytes(path));
            var values = path.EndsWith(".csv", StringComparison.Ordinal) ? FromCsv(text) : FromJsonText(text);
            foreach (var (field, value) in values)
            {
                if (field.Equals("Email", StringComparison.OrdinalIgnoreCase))
                {
                    foreach (Match address in Address().Matches(value))
                    {
                        emails.Add(address.Value);
                    }
                }
                else if (IsName(value.Trim()))
                {
                    names.Add(value.Trim());
                }
            }
        }

        return ([.. names.Order(StringComparer.Ordinal)], [.. emails.Order(StringComparer.Ordinal)]);
    }

    /// <summary>A value that names someone: a few letters, not one character repeated (a test's filler).</summary>
    private static bool IsName(string value) =>
        value.Length >= 4 && value.Any(char.IsLetter) && value.Distinct().Count() > 2;

    /// <summary><c>"Name": "…"</c> and <c>"Email": "…"</c> pairs, in any case, from JSON text however broken.</summary>
    private static IEnumerable<(string Field, string Value)> FromJsonText(string text)
    {
        foreach (Match pair in JsonPair().Matches(text))
        {
            string? value;
            try
            {
                value = JsonSerializer.Deserialize<string>("\"" + pair.Groups["value"].Value + "\"");
            }
            catch (JsonException)
            {
                value = pair.Groups["value"].Value;
            }

            if (value is not null)
            {
                yield return (pair.Groups["field"].Value, value);
            }
        }
    }

    /// <summary>The Name and Email columns of a CSV file (comma or semicolon separated, quotes as RFC 4180 has them).</summary>
    private static IEnumerable<(string Field, string Value)> FromCsv(string text)
    {
        text = text.TrimStart('\uFEFF');
        var rows = CsvRows.Parse(text, text.Split('\n')[0].Contains(';', StringComparison.Ordinal) ? ';' : ',');
        if (rows.Count == 0)
        {
            yield break;
        }

        var header = rows[0];
        for (var column = 0; column < header.Count; column++)
        {
            var field = header[column];
            if (!field.Equals("Name", StringComparison.OrdinalIgnoreCase) && !field.Equals("Email", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var row in rows.Skip(1).Where(r => r.Count > column))
            {
                yield return (field, row[column]);
            }
        }
    }

    [GeneratedRegex("\"(?<field>(?i:name|email))\"\\s*:\\s*\"(?<value>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex JsonPair();

    [GeneratedRegex("[^\\s<>\"(),;:@]+@[^\\s<>\"(),;:@]+")]
    private static partial Regex Address();
}
