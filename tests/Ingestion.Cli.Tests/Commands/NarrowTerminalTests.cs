using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Ingestion.Cli.Tests.Commands;

/// <summary>
/// Every command that prints a table, on a terminal of 80 columns (the common default): no line is wider, and the
/// values a reader looks for (names, statuses, reasons, figures) are whole on one line, not wrapped mid-word.
/// </summary>
public sealed partial class NarrowTerminalTests : IDisposable
{
    private const int Width = 80;

    /// <summary>A realistic export name, long enough to crowd a table.</summary>
    private const string LongName = "registrar-export-2024-autumn.json";

    private const string OtherLongName = "registrar-export-2024-spring.json";

    /// <summary>Longer than any column can give at 80: it is wrapped where the name breaks.</summary>
    private const string VeryLongName = "registrar-export-2024-09-autumn-term-final-corrected-by-the-faculty-office.json";

    private readonly CliFixture _cli = new();
    private readonly ITestOutputHelper _output;

    public NarrowTerminalTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("run", "students-mixed.jsonl|" + OtherLongName + "|15 received:|9 rejected")]
    [InlineData("students list", "barbara.liskov@example.edu|S-2001")]
    [InlineData("students get S-1015", "zoe.nunez@example.edu|Zoë Ñúñez-Østergård")]
    [InlineData("outbox", "StudentEvents|AdminAlerts")]
    [InlineData("metrics", "NotificationsPublished|StudentsRejected|Milliseconds")]
    [InlineData("files", "students-mixed.json|" + LongName + "|SUCCEEDED")]
    [InlineData("report students-mixed.json", "STUDENT_ID_TOO_LONG (StudentID)|ingest report students-mixed.json --format csv|EMAIL_INVALID (Email)|S-2003")]
    [InlineData("report students-mixed.json --versions", "SUCCEEDED|ingest report students-mixed.json --version V")]
    [InlineData("cost --students 1000000", "$103.68|$0.025/1,000|Step Functions|Naive / ours")]
    [InlineData("bench --students 300 --only pipeline --profile", "pipeline, first load|pipeline, nightly re-run|Students/s|Peak WS")]
    public async Task A_table_fits_80_columns_with_its_key_values_whole(string command, string whole)
    {
        Assert.Equal(0, (await _cli.RunAsync("run", CliFixture.TestData("students-mixed.json"), Long())).Exit);
        string[] args = command switch
        {
            "run" => ["run", CliFixture.TestData("students-mixed.jsonl"), Long(OtherLongName)],
            _ => command.Split(' '),
        };

        var result = args[0] switch
        {
            "cost" => await _cli.RunRawOnTerminalAsync(Width, args),
            "bench" => await _cli.RunRawOnTerminalAsync(Width, [.. args, "--work-dir", Path.Combine(_cli.Root, "bench")]),
            _ => await _cli.RunOnTerminalAsync(Width, args),
        };

        Assert.True(result.Exit == 0, result.Error);
        var lines = Ansi().Replace(result.Out, string.Empty).Split('\n').Select(line => line.TrimEnd()).ToList();
        _output.WriteLine(string.Join('\n', lines));
        Assert.All(lines, line => Assert.True(line.Length <= Width, $"{line.Length} columns: {line}\n{string.Join('\n', lines)}"));
        foreach (var value in whole.Split('|'))
        {
            Assert.True(lines.Any(line => line.Contains(value, StringComparison.Ordinal)), $"'{value}' is not whole on a line:\n{string.Join('\n', lines)}");
        }
    }

    [Theory]
    [InlineData("run")]
    [InlineData("files")]
    public async Task A_name_longer_than_its_column_is_wrapped_where_it_breaks_not_mid_word(string command)
    {
        var file = _cli.WriteFile(VeryLongName, File.ReadAllText(CliFixture.TestData("students.json")));
        var run = command == "run" ? await _cli.RunOnTerminalAsync(Width, "run", file) : await _cli.RunAsync("run", file);
        var result = command == "run" ? run : await _cli.RunOnTerminalAsync(Width, "files");

        Assert.Equal(0, result.Exit);
        var lines = Ansi().Replace(result.Out, string.Empty).Split('\n').Select(line => line.TrimEnd()).ToList();
        _output.WriteLine(string.Join('\n', lines));
        Assert.All(lines, line => Assert.True(line.Length <= Width, $"{line.Length} columns: {line}"));

        // The name's pieces, as the first column shows them one under the other.
        var pieces = lines.Where(line => line.StartsWith('│')).Select(line => line.Split('│')[1].Trim()).SkipWhile(cell => !VeryLongName.StartsWith(cell, StringComparison.Ordinal) || cell.Length == 0).TakeWhile(cell => cell.Length > 0).ToList();
        Assert.True(pieces.Count > 1, string.Join('\n', lines));
        Assert.Equal(VeryLongName, string.Concat(pieces));
        Assert.All(pieces.SkipLast(1), piece => Assert.Contains(piece[^1], "-_./"));
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")]
    private static partial Regex Ansi();

    /// <summary>A copy of students.json under a long name, to ingest.</summary>
    private string Long(string name = LongName) => _cli.WriteFile(name, File.ReadAllText(CliFixture.TestData("students.json")));
}
