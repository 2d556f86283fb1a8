using System.Text.Json;
using System.Text.Json.Serialization;
using Ingestion.Domain.Students;
using Ingestion.Reliability.Tests.Support;

namespace Ingestion.Reliability.Tests.Corpus;

/// <summary><c>testdata/bad/manifest.json</c>: the expected outcome of every file of the bad-input corpus.</summary>
public sealed record BadInputManifest([property: JsonPropertyName("files")] IReadOnlyList<BadInput> Files)
{
    private static readonly Lazy<BadInputManifest> Loaded = new(() =>
        JsonSerializer.Deserialize<BadInputManifest>(File.ReadAllBytes(LocalScenario.TestData("bad/manifest.json")), Options)
            ?? throw new InvalidDataException("testdata/bad/manifest.json is empty."));

    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static BadInputManifest Load() => Loaded.Value;

    public BadInput this[string file] => Files.Single(f => f.File == file);
}

/// <summary>One corpus file and what must happen to it when ingested alone into an empty store.</summary>
/// <param name="Key">The key its event names, when not <c>incoming/&lt;file&gt;</c>; <c>{outside}</c> stands for a folder outside the data folder.</param>
/// <param name="Environment">Handler settings for this file (e.g. a small MAX_FILE_BYTES).</param>
/// <param name="Rejected">Every rejected record: its index, and its reason codes in order.</param>
/// <param name="Stored">Exactly the StudentIDs stored.</param>
/// <param name="Fields">Values some stored students must have (Name, Email, SourceIndex, Extras).</param>
/// <param name="Error">For a quarantined file: the error and fragments its cause must contain.</param>
public sealed record BadInput(
    string File,
    string Why,
    string Status,
    ExpectedCounts Counts,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Rejected,
    IReadOnlyList<string> Stored,
    string? Key = null,
    IReadOnlyDictionary<string, string>? Environment = null,
    IReadOnlyDictionary<string, JsonElement>? Fields = null,
    ExpectedError? Error = null);

public sealed record ExpectedCounts(long Received, long Created, long Updated, long Unchanged, long Replayed, long Stale, long Rejected, long Failed)
{
    public RunCounts ToRunCounts() => new(Received, Created, Updated, Unchanged, Replayed, Stale, Rejected, Failed, Created + Updated + Replayed);
}

public sealed record ExpectedError(string Error, IReadOnlyList<string> CauseContains);
