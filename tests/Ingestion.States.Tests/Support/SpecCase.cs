using Ingestion.States.Json;

namespace Ingestion.States.Tests.Support;

/// <summary>One case file under Cases/: a definition, an input and what must come out.</summary>
internal sealed class SpecCase
{
    private SpecCase(string id, JObject root)
    {
        Id = id;
        Root = root;
    }

    public string Id { get; }

    public JObject Root { get; }

    public JValue Definition => Root.Get("definition") ?? throw new InvalidOperationException($"{Id}: no definition");

    public JValue Input => Root.Get("input") ?? JObject.Empty;

    public JObject? Expected => Root.Get("expected") as JObject;

    public static string CasesRoot => Path.Combine(AppContext.BaseDirectory, "Cases");

    /// <summary>Every case file of a feature folder, one xunit row each.</summary>
    public static IEnumerable<object[]> In(string feature) =>
        Directory.EnumerateFiles(Path.Combine(CasesRoot, feature), "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(CasesRoot, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { f });

    public static SpecCase Load(string id) =>
        new(id, JValue.Parse(File.ReadAllText(Path.Combine(CasesRoot, id))) as JObject ?? throw new InvalidOperationException($"{id} is not an object"));
}
