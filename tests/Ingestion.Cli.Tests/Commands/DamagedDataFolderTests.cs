namespace Ingestion.Cli.Tests.Commands;

/// <summary>A data folder whose files were damaged (truncated by a full disk, edited by hand): one line, no stack.</summary>
public sealed class DamagedDataFolderTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public static TheoryData<string, string[]> Commands => new()
    {
        { "ingest.db", ["files"] },
        { "ingest.db", ["students", "list"] },
        { "ingest.db", ["students", "get", "S-1001"] },
        { "ingest.db", ["report", "students.json"] },
        { "ingest.db", ["outbox"] },
        { "ingest.db", ["run", "students-mixed.json"] },
        { "outbox.db", ["files"] },
        { "outbox.db", ["students", "list"] },
        { "outbox.db", ["students", "get", "S-1001"] },
        { "outbox.db", ["report", "students.json"] },
        { "outbox.db", ["outbox"] },
        { "outbox.db", ["run", "students-mixed.json"] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_truncated_database_is_named_in_one_line_with_what_to_do(string database, string[] command)
    {
        Assert.Equal(0, (await _cli.RunAsync("run", CliFixture.TestData("students.json"))).Exit);
        var path = Path.Combine(_cli.DataDir, database);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.SetLength(file.Length / 2 / 4096 * 4096 + 100);
        }

        var result = await _cli.RunAsync(command[0] == "run" ? ["run", CliFixture.TestData(command[1])] : command);

        Assert.True(result.Exit == 1, $"exit {result.Exit}\n{result.Error}\n{result.Out}");
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(path, result.Error, StringComparison.Ordinal);
        Assert.Contains("restore it from a backup", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
