using Ingestion.Cli.Output;

namespace Ingestion.Cli.Tests.Output;

public sealed class FormatsTests
{
    [Theory]
    [InlineData("registrar-export-2024-09-autumn-term-final.json", 20, "registrar-export-|2024-09-autumn-term-|final.json")]
    [InlineData("a-b.json", 20, "a-b.json")]
    [InlineData("abcdefghijklmnopqrstuvwxyz.csv", 10, "abcdefghij|klmnopqrst|uvwxyz.csv")]
    [InlineData("reports/students.json/20261207T024652860Z-49fcf67b.csv", 30, "reports/students.json/|20261207T024652860Z-|49fcf67b.csv")]
    public void Wrapping_breaks_after_a_separator_when_one_is_near_and_never_leaves_a_line_wider(string text, int width, string expected)
    {
        var lines = Formats.Wrap(text, width).Split('\n');

        Assert.Equal(expected.Split('|'), lines);
        Assert.All(lines, line => Assert.InRange(line.Length, 1, width));
    }

    [Fact]
    public void Joined_parts_break_only_between_parts()
    {
        var text = Formats.JoinWrapped(["15 received:", "6 created,", "9 rejected"], 24);

        Assert.Equal(["15 received: 6 created,", "9 rejected"], text.Split('\n'));
    }
}
