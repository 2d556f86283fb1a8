using System.Text.Json;
using Ingestion.Storage.Local.Outbox;
using Ingestion.Tools.Synthetic;

namespace Ingestion.Reliability.Tests.Support;

/// <summary>Generated exports (<see cref="SyntheticStudents"/>) and what to check them with.</summary>
public static class Exports
{
    /// <summary>Writes a synthetic export outside the data folder.</summary>
    public static (string Path, SyntheticExport Export) Write(LocalScenario scenario, string name, long students, ExportFormat format = ExportFormat.JsonLines, double changedFraction = 0, int seed = 20261124)
    {
        var path = scenario.WriteFile(name, string.Empty);
        using var output = File.Create(path);
        return (path, SyntheticStudents.Write(output, students, format, changedFraction, seed));
    }

    /// <summary>The StudentID of every record of a JSON Lines export, by index (null where the record has none usable).</summary>
    public static List<string?> StudentIds(string jsonLinesPath) =>
        [.. File.ReadLines(jsonLinesPath).Where(line => line.Trim().Length > 0).Select(line =>
        {
            using var record = JsonDocument.Parse(line);
            return record.RootElement.ValueKind == JsonValueKind.Object && record.RootElement.TryGetProperty("StudentID", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        })];

    /// <summary>A StudentEvents message's body.</summary>
    public static (string StudentId, string ContentHash, bool Replayed) Body(OutboxEntry message)
    {
        using var body = JsonDocument.Parse(message.Message);
        var root = body.RootElement;
        return (root.GetProperty("studentId").GetString()!, root.GetProperty("contentHash").GetString()!, root.TryGetProperty("replayed", out var replayed) && replayed.GetBoolean());
    }
}
