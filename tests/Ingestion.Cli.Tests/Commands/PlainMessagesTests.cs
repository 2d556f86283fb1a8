using System.Text.RegularExpressions;

namespace Ingestion.Cli.Tests.Commands;

/// <summary>What users read: one position in words, no .NET internals, lines a pipe keeps whole.</summary>
public sealed partial class PlainMessagesTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("unparseable.json", "line 27, column 11")]
    [InlineData("bad/truncated.json", "line 4, column 78")]
    [InlineData("bad/not-json.json", "line 1, column 1")]
    [InlineData("bad/whitespace-only.json", "line 3, column 1")]
    [InlineData("bad/nesting-deep.json", "line 3, column 503")]
    [InlineData("bad/trailing-data.json", "line 5, column 1")]
    [InlineData("bad/invalid-utf8.json", "line 3, column 3")]
    [InlineData("bad/malformed-line.jsonl", "line 3, column 40")]
    [InlineData("bad/raw-control-character.jsonl", "line 2, column 37")]
    public async Task An_unreadable_file_names_one_position_counted_from_1_and_no_dotnet_internals(string file, string position)
    {
        var result = await _cli.RunAsync("run", CliFixture.TestData(file), "--json");

        Assert.Equal(1, result.Exit);
        var line = Assert.Single(result.JsonLines);
        Assert.Equal(("QUARANTINED", "FileQuarantined"), (line.GetProperty("status").GetString(), line.GetProperty("error").GetString()));
        var cause = line.GetProperty("cause").GetString()!;
        Assert.Contains($" at {position}: ", cause, StringComparison.Ordinal);
        Assert.Single(Positions().Matches(cause));
        foreach (var internals in (string[])["LineNumber", "BytePositionInLine", "StartObject", "EndObject", "isFinalBlock", "transcode", "JSON payload"])
        {
            Assert.DoesNotContain(internals, cause, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Piped_output_keeps_long_lines_whole()
    {
        var name = new string('n', 60) + " with spaces.json"; // a line of over 300 characters, its reason under the 300 kept
        var file = _cli.WriteFile(name, File.ReadAllText(CliFixture.TestData("unparseable.json")));

        var result = await _cli.RunAsync("run", file);

        Assert.Equal(1, result.Exit);
        Assert.Single(result.Lines, l => l.StartsWith($"| {name} | QUARANTINED |", StringComparison.Ordinal));
        var why = Assert.Single(result.Lines, l => l.StartsWith($"{name}: QUARANTINED: ", StringComparison.Ordinal));
        Assert.EndsWith("at line 27, column 11: Expected a value, but instead reached end of data", why, StringComparison.Ordinal);
        Assert.True(why.Length > 300, "the line is longer than any console width Spectre would wrap at");
    }

    [GeneratedRegex(@"\b(?:line \d+(?:, column \d+)?|column \d|byte \d|LineNumber)")]
    private static partial Regex Positions();
}
