namespace Ingestion.Cli.Tests.Commands;

/// <summary>A data folder whose files were damaged (truncated by a full disk, edited by hand): one line, no stack.</summary>
public sealed class DamagedDataFolderTests : IDisposable
{
    private readonly CliFixture _cli = new();

    [Theory]
    [InlineData("files")]
    [InlineData("students", "list")]
    [InlineData("report", "students.json")]
    public async Task A_truncated_database_is_named_in_one_line_with_what_to_do(params string[] command)
    {
        Assert.Equal(0, (await _cli.RunAsync("run", CliFixture.TestData("students.json"))).Exit);
        var database = Path.Combine(_cli.DataDir, "ingest.db");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using (var file = new FileStream(database, FileMode.Open, FileAccess.ReadWrite))
        {
            file.SetLength(file.Length / 2 / 4096 * 4096 + 100);
        }

        var result = await _cli.RunAsync(command);

        Assert.Equal(1, result.Exit);
        Assert.DoesNotContain("Unhandled exception", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(database, result.Error, StringComparison.Ordinal);
        Assert.Contains("restore it from a backup", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
