using Ingestion.States.Json;

namespace Ingestion.States.Tests.Jsonata;

/// <summary>
/// One JSONata case in the reference suite's format: <c>expr</c> or <c>expr-file</c>, <c>data</c> or <c>dataset</c>,
/// <c>bindings</c>, and one of <c>result</c>, <c>undefinedResult</c>, <c>code</c> or <c>error.code</c>.
/// </summary>
internal sealed class JsonataCase
{
    private JsonataCase(string id, JObject root, string folder, string? datasets)
    {
        Id = id;
        Root = root;
        Folder = folder;
        Datasets = datasets;
    }

    public string Id { get; }

    public JObject Root { get; }

    private string Folder { get; }

    private string? Datasets { get; }

    public string Expression => Root.Get("expr") is JString e
        ? e.Value
        : File.ReadAllText(Path.Combine(Folder, ((JString)Root.Get("expr-file")!).Value));

    public string? ExpectedCode => Root.Get("code") is JString c ? c.Value
        : Root.Get("error") is JObject { } error && error.Get("code") is JString ec ? ec.Value
        : null;

    public JValue? ExpectedResult => Root.Get("result");

    public int? Depth => Root.Get("depth") is JNumber n ? (int)n.LongValue : null;

    public int? TimeLimitMs => Root.Get("timelimit") is JNumber n ? (int)n.LongValue : null;

    public IReadOnlyDictionary<string, JValue> Bindings => Root.Get("bindings") is JObject b
        ? b.ToDictionary(p => p.Key, p => p.Value)
        : new Dictionary<string, JValue>();

    /// <summary>The input: <c>data</c> when present, else the named dataset; null (undefined) for "dataset": null.</summary>
    public JValue? Input
    {
        get
        {
            if (Root.Get("data") is { } data)
            {
                return data;
            }

            if (Root.Get("dataset") is JString name && Datasets is not null)
            {
                return LenientJson.Parse(File.ReadAllText(Path.Combine(Datasets, name.Value + ".json")));
            }

            return null;
        }
    }

    /// <summary>Every case under <paramref name="root"/>/<paramref name="groupsFolder"/>; files holding an array give one id per element.</summary>
    public static IEnumerable<string> Ids(string groupsRoot)
    {
        foreach (var file in Directory.EnumerateFiles(groupsRoot, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(groupsRoot, file).Replace('\\', '/');
            var json = LenientJson.Parse(File.ReadAllText(file));
            if (json is JArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    yield return $"{relative}#{i}";
                }
            }
            else
            {
                yield return relative;
            }
        }
    }

    public static JsonataCase Load(string groupsRoot, string? datasets, string id)
    {
        var hash = id.IndexOf('#', StringComparison.Ordinal);
        var relative = hash < 0 ? id : id[..hash];
        var path = Path.Combine(groupsRoot, relative);
        var json = LenientJson.Parse(File.ReadAllText(path));
        var root = hash < 0 ? json : ((JArray)json)[int.Parse(id[(hash + 1)..], System.Globalization.CultureInfo.InvariantCulture)];
        return new JsonataCase(id, (JObject)root, Path.GetDirectoryName(path)!, datasets);
    }
}
