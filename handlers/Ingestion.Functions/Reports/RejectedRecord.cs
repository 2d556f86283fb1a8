using System.Text.Json;
using Ingestion.Domain.Students;

namespace Ingestion.Functions.Reports;

/// <summary>A rejected entry of a batch's output, read back for the summary, the spreadsheet and the report.</summary>
internal sealed record RejectedRecord(long Index, string? StudentId, IReadOnlyList<Reason> Reasons)
{
    /// <summary>Reads one entry as ValidateStudents writes it (<see cref="RejectedJson"/>).</summary>
    /// <param name="fallbackIndex">The index when the entry has none.</param>
    public static RejectedRecord Read(ReadOnlyMemory<byte> json, long fallbackIndex)
    {
        using var document = JsonDocument.Parse(json, JsonInput.Options);
        var entry = document.RootElement;
        var reasons = new List<Reason>();
        if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("reasons", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            reasons.AddRange(array.EnumerateArray().Select(r => new Reason(
                JsonInput.OptionalString(r, "code") ?? "UNKNOWN",
                JsonInput.OptionalString(r, "field"),
                JsonInput.OptionalString(r, "message") ?? string.Empty)));
        }

        return new RejectedRecord(
            JsonInput.TryGetLong(entry, "index", out var index) ? index.Value : fallbackIndex,
            JsonInput.OptionalString(entry, "studentId"),
            reasons);
    }
}
