using Ingestion.Domain.Students;

namespace Ingestion.Functions.Reports;

/// <summary>How many rejected records broke a rule (a reason code about a field), and a row to look at.</summary>
/// <param name="Field">The field the reason is about; null for the whole record.</param>
/// <param name="ExampleRow">The first row (as a spreadsheet numbers it) that has this reason.</param>
internal sealed record ReasonCount(string Code, string? Field, long Count, long ExampleRow)
{
    /// <summary><c>MISSING_FIELD (Name)</c>, or the code alone for a reason about the whole record.</summary>
    public string Label => Field is null ? Code : $"{Code} ({Field})";
}

/// <summary>The summary by reason that opens every report and e-mail: commonest first.</summary>
internal static class ReasonSummary
{
    /// <summary>How many of the summary's reasons the e-mail and the run line call the commonest.</summary>
    public const int Commonest = 3;

    /// <summary>Counts records per (code, field), a record counted once per pair; ordered by count, then code and field, so the order is stable.</summary>
    public static IReadOnlyList<ReasonCount> Build(IEnumerable<(long Row, IReadOnlyList<Reason> Reasons)> rejected)
    {
        var counts = new Dictionary<(string Code, string? Field), (long Count, long Example)>();
        foreach (var (row, reasons) in rejected)
        {
            foreach (var pair in reasons.Select(r => (r.Code, r.Field)).Distinct())
            {
                counts[pair] = counts.TryGetValue(pair, out var seen) ? (seen.Count + 1, Math.Min(seen.Example, row)) : (1, row);
            }
        }

        return [.. counts
            .Select(c => new ReasonCount(c.Key.Code, c.Key.Field, c.Value.Count, c.Value.Example))
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Code, StringComparer.Ordinal)
            .ThenBy(c => c.Field, StringComparer.Ordinal)];
    }
}
