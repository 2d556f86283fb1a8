using Ingestion.States.Json;
using Ingestion.States.Jsonata;

namespace Ingestion.Benchmarks.Jsonata;

/// <summary>One reference-suite case prepared for timing: compiled expression, input and bindings.</summary>
internal sealed record BenchmarkCase(string Id, JsonataExpression Compiled, JValue? Input, IReadOnlyDictionary<string, JValue> Bindings)
{
    /// <summary>The cases that succeed without limits: no expected error, no time or depth limit, no $eval.</summary>
    public static List<BenchmarkCase> Select(string suite)
    {
        var groups = Path.Combine(suite, "groups");
        var result = new List<BenchmarkCase>();
        foreach (var file in Directory.EnumerateFiles(groups, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            JValue json;
            try
            {
                json = JValue.Parse(File.ReadAllText(file));
            }
            catch (InvalidOperationException)
            {
                // Lone surrogate escapes, which System.Text.Json refuses; left out on both sides.
                continue;
            }

            var relative = Path.GetRelativePath(groups, file).Replace('\\', '/');
            if (json is JArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Add(result, suite, $"{relative}#{i}", (JObject)array[i], Path.GetDirectoryName(file)!);
                }
            }
            else
            {
                Add(result, suite, relative, (JObject)json, Path.GetDirectoryName(file)!);
            }
        }

        return result;
    }

    private static void Add(List<BenchmarkCase> into, string suite, string id, JObject c, string folder)
    {
        if (c.Get("code") is not null || c.Get("error") is not null || c.Get("timelimit") is not null || c.Get("depth") is not null)
        {
            return;
        }

        var expr = c.Get("expr") is JString e ? e.Value : File.ReadAllText(Path.Combine(folder, ((JString)c.Get("expr-file")!).Value));
        if (expr.Contains("$eval", StringComparison.Ordinal) || !JsonataExpression.TryParse(expr, out var compiled, out _))
        {
            return;
        }

        JValue? input = c.Get("data") ?? (c.Get("dataset") is JString name
            ? JValue.Parse(File.ReadAllText(Path.Combine(suite, "datasets", name.Value + ".json")))
            : null);
        var bindings = c.Get("bindings") is JObject b ? b.ToDictionary(p => p.Key, p => p.Value) : new Dictionary<string, JValue>();
        into.Add(new BenchmarkCase(id, compiled, input, bindings));
    }
}
