namespace Ingestion.Cli.Tests.Commands;

/// <summary>A data folder whose files were damaged (truncated by a full disk, edited by hand): one line, no stack.</summary>
public sealed class DamagedDataFolderTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>Every command that reads the data folder, and how each database is cut: mid-file, or inside its 100-byte header.</summary>
    public static TheoryData<string, string, string[]> Damages()
    {
        var data = new TheoryData<string, string, string[]>();
        string[][] commands = [["files"], ["students", "list"], ["students", "get", "S-1001"], ["report", "students.json"], ["outbox"], ["run", "students-mixed.json"]];
        foreach (var database in (string[])["ingest.db", "outbox.db"])
        {
            foreach (var command in commands)
            {
                data.Add(database, "half", command);
            }

            data.Add(database, "header", ["files"]);
            data.Add(database, "header", ["outbox"]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_truncated_database_is_named_in_one_line_with_what_to_do(string database, string cut, string[] command)
    {
        await IngestAsync();
        var path = Path.Combine(_cli.DataDir, database);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.SetLength(cut == "half" ? file.Length / 2 / 4096 * 4096 + 100 : 50);
        }

        var result = await RunAsync(command);

        AssertOneLine(result, path);
        Assert.Contains("restore it from a backup, or move it aside", result.Error, StringComparison.Ordinal);
        Assert.Contains(database == "ingest.db" ? "ingest the exports again" : "only the record of the messages", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("report", "students.json")]
    [InlineData("report", "students.json", "--json")]
    [InlineData("report", "students.json", "--format", "csv")]
    public async Task A_report_that_is_not_json_is_named_in_one_line_with_what_to_do(params string[] command)
    {
        var report = await DamageReportAsync();

        var result = await RunAsync(command);

        AssertOneLine(result, report);
        Assert.Contains("not JSON: line 1, column 2", result.Error, StringComparison.Ordinal);
        Assert.Contains("ingest the file again", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("files")]
    [InlineData("students", "list")]
    [InlineData("students", "get", "S-1001")]
    [InlineData("outbox")]
    [InlineData("run", "students-mixed.json")]
    public async Task A_report_that_is_not_json_stops_no_command_that_does_not_read_it(params string[] command)
    {
        await DamageReportAsync();

        var result = await RunAsync(command);

        Assert.True(result.Exit == 0, result.Error);
        Assert.Equal(string.Empty, result.Error);
    }

    private async Task IngestAsync() => Assert.Equal(0, (await _cli.RunAsync("run", CliFixture.TestData("students.json"))).Exit);

    /// <summary>Ingests students.json and cuts its report short; returns the report's path.</summary>
    private async Task<string> DamageReportAsync()
    {
        await IngestAsync();
        var entry = Assert.Single((await _cli.RunAsync("files", "--json")).JsonLines);
        var report = Path.Combine(_cli.DataDir, "s3", "ingestion", entry.GetProperty("reportKey").GetString()!);
        File.WriteAllText(report, "{{ not json");
        return report;
    }

    private Task<CliResult> RunAsync(string[] command) =>
        _cli.RunAsync(command[0] == "run" ? ["run", CliFixture.TestData(command[1])] : command);

    private static void AssertOneLine(CliResult result, string file)
    {
        Assert.True(result.Exit == 1, $"exit {result.Exit}\n{result.Error}\n{result.Out}");
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"ingest: {file} is damaged (", result.Error, StringComparison.Ordinal);
    }
}
