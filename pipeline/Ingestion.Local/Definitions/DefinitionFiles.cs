using System.Text.RegularExpressions;
using Ingestion.States;

namespace Ingestion.Local.Definitions;

/// <summary>
/// The files of <c>pipeline/definitions/</c>, embedded into this assembly at build time (the files stay the single
/// source), read with their <c>${Placeholders}</c> substituted.
/// </summary>
public static partial class DefinitionFiles
{
    public const string IngestFile = "ingest-file.asl.json";
    public const string NightlySync = "nightly-sync.asl.json";
    public const string ProcessBatch = "process-batch.asl.json";
    public const string IngestRule = "ingest-rule.json";

    private const string ResourcePrefix = "Ingestion.Local.Definitions.";

    /// <summary>The embedded file names.</summary>
    public static IReadOnlyList<string> Names =>
        [.. typeof(DefinitionFiles).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..])
            .Order(StringComparer.Ordinal)];

    /// <summary>The file's text as committed, placeholders and all.</summary>
    public static string ReadRaw(string name)
    {
        using var stream = typeof(DefinitionFiles).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new FileNotFoundException($"No definition '{name}' is embedded; the embedded ones are: {string.Join(", ", Names)}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The file's text with every placeholder replaced; throws when one has no value.</summary>
    public static string Read(string name, IReadOnlyDictionary<string, string> substitutions)
    {
        var text = StateMachine.SubstitutePlaceholders(ReadRaw(name), substitutions);
        var left = PlaceholderPattern().Matches(text).Select(m => m.Value).Distinct().ToList();
        return left.Count == 0
            ? text
            : throw new InvalidOperationException($"{name} names {string.Join(", ", left)}, which the local runtime has no value for.");
    }

    /// <summary>Loads a state machine definition with local names.</summary>
    public static StateMachine Load(string machineName, string fileName, LocalResources resources) =>
        StateMachine.Load(machineName, Read(fileName, resources.Substitutions));

    [GeneratedRegex(@"\$\{[A-Za-z0-9_]+\}")]
    private static partial Regex PlaceholderPattern();
}
