using System.Text.Json;
using Ingestion.Domain.Students;

namespace Ingestion.Functions.Reports;

/// <summary>A rejected entry of the report (its <c>rejected</c> list), read back for the summary and the CSV.</summary>
internal sealed record RejectedRecord(long Index, string? StudentId, IReadOnlyList<Reason> Reasons)
{
    /// <summary>Reads the JSON array <see cref="MapResultsReader.RejectedJson"/> holds.</summary>
    public static List<RejectedRecord> ReadAll(ReadOnlySpan<byte> rejectedJson)
    {
        var list = new List<RejectedRecord>();
        using var document = JsonDocument.Parse(rejectedJson.ToArray(), JsonInput.Options);
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var reasons = new List<Reason>();
            if (entry.TryGetProperty("reasons", out var array) && array.ValueKind == JsonValueKind.Array)
            {
                reasons.AddRange(array.EnumerateArray().Select(r => new Reason(
                    JsonInput.OptionalString(r, "code") ?? "UNKNOWN",
                    JsonInput.OptionalString(r, "field"),
                    JsonInput.OptionalString(r, "message") ?? string.Empty)));
            }

            list.Add(new RejectedRecord(
                JsonInput.TryGetLong(entry, "index", out var index) ? index.Value : list.Count,
                JsonInput.OptionalString(entry, "studentId"),
                reasons));
        }

        return list;
    }
}
