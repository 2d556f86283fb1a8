using System.Text.Json.Serialization;
using Ingestion.Domain.Students;

namespace Ingestion.Functions.Reports;

/// <summary>How many rejected records broke a rule (a reason code about a field), and a row to look at.</summary>
/// <remarks>Part of SummarizeRun's output (<see cref="RunSummary.Summary"/>), which NightlySync's digest adds up.</remarks>
/// <param name="Field">The field the reason is about; null for the whole record.</param>
/// <param name="ExampleRow">The first row (as a spreadsheet numbers it) that has this reason.</param>
public sealed record ReasonCount(string Code, string? Field, long Count, long ExampleRow)
{
    /// <summary><c>MISSING_FIELD (Name)</c>, or the code alone for a reason about the whole record.</summary>
    [JsonIgnore]
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
        var tally = new ReasonTally();
        foreach (var (row, reasons) in rejected)
        {
            tally.Add(row, reasons);
        }

        return tally.Build();
    }
}

/// <summary>The summary by reason added up one rejected record at a time: as many entries as (code, field) pairs, however many records.</summary>
internal sealed class ReasonTally
{
    private readonly Dictionary<(string Code, string? Field), (long Count, long Example)> _counts = [];
    private readonly HashSet<(string Code, string? Field)> _record = [];

    public void Add(long row, IReadOnlyList<Reason> reasons)
    {
        _record.Clear();
        foreach (var reason in reasons)
        {
            var pair = (reason.Code, reason.Field);
            if (_record.Add(pair))
            {
                _counts[pair] = _counts.TryGetValue(pair, out var seen) ? (seen.Count + 1, Math.Min(seen.Example, row)) : (1, row);
            }
        }
    }

    public IReadOnlyList<ReasonCount> Build() => [.. _counts
        .Select(c => new ReasonCount(c.Key.Code, c.Key.Field, c.Value.Count, c.Value.Example))
        .OrderByDescending(c => c.Count)
        .ThenBy(c => c.Code, StringComparer.Ordinal)
        .ThenBy(c => c.Field, StringComparer.Ordinal)];
}
