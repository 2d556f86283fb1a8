namespace Ingestion.Cli.Tests.Commands;

/// <summary>A fault of ingest itself: the user reads one line; the stack trace is kept for a bug report.</summary>
public sealed class UnexpectedErrorTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task An_unexpected_exception_is_one_line_naming_where_its_details_are()
    {
        Assert.Equal(0, (await _cli.RunAsync("run", CliFixture.TestData("students.json"))).Exit);

        var result = await _cli.RunRawAsync(["files", "--data-dir", _cli.DataDir], _ => throw new InvalidOperationException("a fault\nof two lines"));

        Assert.Equal(1, result.Exit);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        var log = Path.Combine(_cli.DataDir, "logs", "errors.log");
        Assert.Equal($"ingest: an unexpected error (InvalidOperationException: a fault). The details are in {log}; if it happens again, report it with them.", line);
        Assert.Contains("   at ", File.ReadAllText(log), StringComparison.Ordinal);
    }
}
