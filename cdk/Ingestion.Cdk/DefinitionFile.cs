using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ingestion.Cdk;

/// <summary>A file of <c>pipeline/definitions/</c>: JSON with <c>${Placeholder}</c> strings the deployment fills in.</summary>
/// <remarks>
/// The files are the single source of truth of the workflows; the app reads them as they are and never keeps a copy.
/// Every placeholder must get a value and every value a placeholder, so a renamed placeholder fails the synth instead
/// of deploying a definition that points nowhere.
/// </remarks>
internal sealed partial class DefinitionFile
{
    private DefinitionFile(string path, string text)
    {
        Path = path;
        Text = text;
        Json = JsonNode.Parse(text) ?? throw new InvalidDataException($"'{path}' is empty.");
        Placeholders = PlaceholderPattern().Matches(text).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
    }

    public string Path { get; }

    /// <summary>The file's content, placeholders included.</summary>
    public string Text { get; }

    public JsonNode Json { get; }

    public IReadOnlySet<string> Placeholders { get; }

    public static DefinitionFile Load(string directory, string fileName)
    {
        var path = System.IO.Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Definition file '{path}' not found.", path);
        }

        try
        {
            return new DefinitionFile(path, File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Throws unless <paramref name="names"/> are exactly this file's placeholders.</summary>
    public void RequireExactly(IEnumerable<string> names)
    {
        var given = names.ToHashSet(StringComparer.Ordinal);
        var missing = Placeholders.Except(given).Order(StringComparer.Ordinal).ToList();
        var unused = given.Except(Placeholders).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || unused.Count > 0)
        {
            throw new InvalidOperationException(
                $"'{Path}': placeholders without a value: [{string.Join(", ", missing)}]; values without a placeholder: [{string.Join(", ", unused)}].");
        }
    }

    /// <summary>The <c>Label</c> of every Distributed Map state, at any depth.</summary>
    /// <remarks>Map Run child executions report their metrics under <c>stateMachine:Name/Label</c>.</remarks>
    public IReadOnlyList<string> DistributedMapLabels()
    {
        var labels = new List<string>();
        Collect(Json);
        return labels;

        void Collect(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (obj["Type"]?.GetValue<string>() == "Map"
                        && obj["ItemProcessor"]?["ProcessorConfig"]?["Mode"]?.GetValue<string>() == "DISTRIBUTED"
                        && obj["Label"]?.GetValue<string>() is { } label)
                    {
                        labels.Add(label);
                    }

                    foreach (var (_, child) in obj)
                    {
                        Collect(child);
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        Collect(child);
                    }

                    break;
            }
        }
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z][A-Za-z0-9]*)\}")]
    private static partial Regex PlaceholderPattern();
}
