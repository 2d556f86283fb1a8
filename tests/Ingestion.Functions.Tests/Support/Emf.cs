using System.Text.Json;

namespace Ingestion.Functions.Tests.Support;

/// <summary>Checks a line against the CloudWatch Embedded Metric Format specification, and reads its values.</summary>
public static class Emf
{
    public static JsonElement AssertValid(string line)
    {
        var root = JsonDocument.Parse(line).RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        var aws = root.GetProperty("_aws");
        Assert.Equal(JsonValueKind.Number, aws.GetProperty("Timestamp").ValueKind);
        Assert.True(aws.GetProperty("Timestamp").TryGetInt64(out var ms) && ms > 1_000_000_000_000, "Timestamp is epoch milliseconds");
        var directives = aws.GetProperty("CloudWatchMetrics");
        Assert.Equal(JsonValueKind.Array, directives.ValueKind);
        foreach (var directive in directives.EnumerateArray())
        {
            Assert.Equal(["Dimensions", "Metrics", "Namespace"], directive.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.False(string.IsNullOrWhiteSpace(directive.GetProperty("Namespace").GetString()));
            foreach (var set in directive.GetProperty("Dimensions").EnumerateArray())
            {
                Assert.InRange(set.GetArrayLength(), 0, 30);
                foreach (var key in set.EnumerateArray())
                {
                    var name = key.GetString()!;
                    Assert.NotEqual("studentid", name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant());
                    Assert.Equal(JsonValueKind.String, root.GetProperty(name).ValueKind);
                }
            }

            var metrics = directive.GetProperty("Metrics");
            Assert.InRange(metrics.GetArrayLength(), 1, 100);
            foreach (var metric in metrics.EnumerateArray())
            {
                var name = metric.GetProperty("Name").GetString()!;
                Assert.False(string.IsNullOrEmpty(metric.GetProperty("Unit").GetString()));
                var value = root.GetProperty(name);
                if (value.ValueKind == JsonValueKind.Array)
                {
                    Assert.InRange(value.GetArrayLength(), 1, 100);
                    Assert.All(value.EnumerateArray(), v => Assert.Equal(JsonValueKind.Number, v.ValueKind));
                }
                else
                {
                    Assert.Equal(JsonValueKind.Number, value.ValueKind);
                }
            }
        }

        return root;
    }

    /// <summary>Every value of a metric over a set of EMF lines (checked on the way).</summary>
    public static List<double> Values(IEnumerable<string> lines, string metric)
    {
        var values = new List<double>();
        foreach (var line in lines)
        {
            var root = AssertValid(line);
            if (root.TryGetProperty(metric, out var value))
            {
                values.AddRange(value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetDouble()) : [value.GetDouble()]);
            }
        }

        return values;
    }
}
