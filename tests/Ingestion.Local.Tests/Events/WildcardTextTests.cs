using Ingestion.Local.Events;

namespace Ingestion.Local.Tests.Events;

public sealed class WildcardTextTests
{
    [Theory]
    [InlineData("*", "", true)]
    [InlineData("incoming/*.json", "incoming/a/b.json", true)]
    [InlineData("incoming/*.json", "incoming/a.csv", false)]
    [InlineData("a*b*c", "abxbc", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData(@"a\*b", "a*b", true)]
    [InlineData(@"a\*b", "axb", false)]
    [InlineData(@"a\\b", @"a\b", true)]
    [InlineData("*.json*", "x.jsonl", true)]
    public void Wildcard_matches_as_eventbridge_does(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, WildcardText.Matches(pattern, text));
    }

    [Fact]
    public void Wildcard_with_many_stars_fails_a_long_near_miss_without_trying_every_split()
    {
        // Trying every split of seven stars over 2,000 characters is ~10^19 steps; the linear form needs ~10^4.
        var text = new string('a', 2_000);

        Assert.False(WildcardText.Matches("a*a*a*a*a*a*a*b", text));
        Assert.True(WildcardText.Matches("a*a*a*a*a*a*a*b", text + "b"));
    }
}
