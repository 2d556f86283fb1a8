namespace Ingestion.States.Tests;

/// <summary>The one wildcard matcher, shared by Choice StringMatches and event patterns.</summary>
public sealed class WildcardTests
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
        Assert.Equal(expected, Wildcard.Matches(pattern, text));
    }

    [Fact]
    public void Wildcard_with_many_stars_fails_a_long_near_miss_without_trying_every_split()
    {
        // Trying every split of seven stars over 2,000 characters is ~10^19 steps; the linear form needs ~10^4.
        var text = new string('a', 2_000);

        Assert.False(Wildcard.Matches("a*a*a*a*a*a*a*b", text));
        Assert.True(Wildcard.Matches("a*a*a*a*a*a*a*b", text + "b"));
    }
}
