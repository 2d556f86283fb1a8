using System.Text.Json;
using Ingestion.Local.Events;

namespace Ingestion.Local.Tests.Events;

public sealed class EventPatternTests
{
    public static TheoryData<string, string, string, bool> MatchCases() =>
        Load("pattern-cases.jsonl", (TheoryData<string, string, string, bool> data, JsonElement line) =>
            data.Add(Text(line, "name"), line.GetProperty("pattern").GetRawText(), line.GetProperty("event").GetRawText(), line.GetProperty("matches").GetBoolean()));

    public static TheoryData<string, string, string> InvalidCases() =>
        Load("invalid-pattern-cases.jsonl", (TheoryData<string, string, string> data, JsonElement line) =>
            data.Add(Text(line, "name"), line.GetProperty("pattern").GetRawText(), Text(line, "path")));

    [Theory]
    [MemberData(nameof(MatchCases))]
    public void Pattern_matches_as_eventbridge_does(string name, string pattern, string eventJson, bool expected)
    {
        Assert.True(EventPattern.Parse(pattern).Matches(eventJson) == expected, $"{name}: expected {(expected ? "a match" : "no match")}");
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Parse_rejects_malformed_patterns_naming_where(string name, string pattern, string path)
    {
        var error = Assert.Throws<EventPatternException>(() => EventPattern.Parse(pattern));
        Assert.True(path == error.PatternPath, $"{name}: reported at {error.PatternPath}, expected {path}");
    }

    [Fact]
    public void IngestRule_matches_object_created_under_incoming_only()
    {
        var rule = File.ReadAllText(Path.Combine(RepositoryRoot(), "pipeline", "definitions", "ingest-rule.json"))
            .Replace("${BucketName}", "ingestion", StringComparison.Ordinal);
        var pattern = EventPattern.Parse(rule);

        Assert.True(pattern.Matches(S3Event("ingestion", "incoming/students.json")));
        Assert.False(pattern.Matches(S3Event("ingestion", "archive/students.json")));
        Assert.False(pattern.Matches(S3Event("other-bucket", "incoming/students.json")));
        Assert.False(pattern.Matches(S3Event("ingestion", "incoming/students.json").Replace("Object Created", "Object Deleted", StringComparison.Ordinal)));
    }

    private static string S3Event(string bucket, string key) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["source"] = "aws.s3",
        ["detail-type"] = "Object Created",
        ["detail"] = new Dictionary<string, object>
        {
            ["bucket"] = new Dictionary<string, object> { ["name"] = bucket },
            ["object"] = new Dictionary<string, object> { ["key"] = key, ["size"] = 10 },
        },
    });

    private static T Load<T>(string file, Action<T, JsonElement> add)
        where T : new()
    {
        var data = new T();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Events", file)))
        {
            if (line.Length > 0)
            {
                using var document = JsonDocument.Parse(line);
                add(data, document.RootElement.Clone());
            }
        }

        return data;
    }

    private static string Text(JsonElement line, string property) => line.GetProperty(property).GetString()!;

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Ingestion.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Ingestion.sln not found above the test folder");
    }
}
