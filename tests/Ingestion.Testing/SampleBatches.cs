using System.Text.Json;

namespace Ingestion.Testing;

/// <summary>One sample batch of <c>testdata/</c> and what ingesting it alone into an empty store gives.</summary>
public sealed record SampleBatch(string File, string Status, long Received, long Created, long Rejected);

/// <summary>
/// <c>testdata/manifest.json</c>: the one place the sample batches' expected counts are written. Test projects copy
/// <c>testdata/</c> next to their assembly.
/// </summary>
public static class SampleBatches
{
    private static readonly Lazy<IReadOnlyList<SampleBatch>> Manifest = new(Load);

    public static IReadOnlyList<SampleBatch> All => Manifest.Value;

    /// <summary>The batches that are read and stored (every one but the unreadable file).</summary>
    public static IEnumerable<SampleBatch> Succeeding => All.Where(batch => batch.Status == "SUCCEEDED");

    public static SampleBatch Of(string file) =>
        All.SingleOrDefault(batch => batch.File == file) ?? throw new KeyNotFoundException($"testdata/manifest.json has no entry for '{file}'.");

    private static List<SampleBatch> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "testdata", "manifest.json");
        using var manifest = JsonDocument.Parse(File.ReadAllText(path));
        return
        [
            .. manifest.RootElement.GetProperty("files").EnumerateArray().Select(entry => new SampleBatch(
                entry.GetProperty("file").GetString()!,
                entry.GetProperty("status").GetString()!,
                entry.GetProperty("received").GetInt64(),
                entry.GetProperty("created").GetInt64(),
                entry.GetProperty("rejected").GetInt64())),
        ];
    }
}
