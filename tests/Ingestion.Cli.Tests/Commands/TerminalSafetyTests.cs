namespace Ingestion.Cli.Tests.Commands;

/// <summary>Values from a file reach a terminal with their control characters made visible, never acted on.</summary>
public sealed class TerminalSafetyTests : IDisposable
{
    private readonly CliFixture _cli = new();

    [Fact]
    public async Task Students_get_shows_escape_sequences_in_an_attribute_as_text()
    {
        var file = _cli.WriteFile("students.json", """
            [{"StudentID": "S-1", "Name": "Ada Lovelace", "Department": "Maths", "Email": "ada@example.edu", "Note": "\u001b]0;pwned\u0007\u001b[2J"}]
            """);
        Assert.Equal(0, (await _cli.RunAsync("run", file)).Exit);

        var shown = await _cli.RunAsync("students", "get", "S-1");

        Assert.Equal(0, shown.Exit);
        Assert.DoesNotContain('\u001b', shown.Out);
        Assert.DoesNotContain('\u0007', shown.Out);
        Assert.Contains("\\u001b]0;pwned\\u0007\\u001b[2J", shown.Out, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
