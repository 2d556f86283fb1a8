namespace Ingestion.Cli.Tests.Commands;

public sealed class HelpTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("run")]
    [InlineData("watch")]
    [InlineData("sync")]
    [InlineData("redrive")]
    [InlineData("files")]
    [InlineData("report")]
    [InlineData("students", "get")]
    [InlineData("students", "list")]
    [InlineData("outbox")]
    [InlineData("metrics")]
    [InlineData("bench")]
    [InlineData("cost")]
    [InlineData("states")]
    [InlineData("states", "validate")]
    [InlineData("states", "execute")]
    [InlineData("students")]
    [InlineData]
    public async Task Every_command_explains_itself_with_an_example(params string[] command)
    {
        var result = await _cli.RunRawAsync([.. command, "--help"]);

        Assert.Equal(0, result.Exit);
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        Assert.Contains($"Example:\n  ingest {string.Join(' ', command)}".TrimEnd(), result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_root_help_lists_the_commands_one_line_each()
    {
        var result = await _cli.RunRawAsync(["--help"]);

        Assert.Equal(0, result.Exit);
        foreach (var command in (string[])["run", "watch", "sync", "redrive", "files", "report", "students", "outbox", "metrics", "cost", "states"])
        {
            Assert.Contains(result.Lines, line => line.StartsWith(command, StringComparison.Ordinal));
        }
    }
}
