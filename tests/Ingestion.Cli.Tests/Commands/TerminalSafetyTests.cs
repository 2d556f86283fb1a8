using System.Text.Json;

namespace Ingestion.Cli.Tests.Commands;

/// <summary>
/// Values from a file reach a terminal with their control characters (and bidirectional overrides) made visible,
/// never acted on, whichever command prints them; JSON output stays JSON, its writer escaping them.
/// </summary>
public sealed class TerminalSafetyTests : IDisposable
{
    /// <summary>Retitles the window (OSC 0 … BEL) and clears the screen (CSI 2J).</summary>
    private const string Attack = "\u001b]0;pwned\u0007\u001b[2J";

    /// <summary>How <see cref="Attack"/> is shown.</summary>
    private const string AttackShown = "\\u001b]0;pwned\\u0007\\u001b[2J";

    /// <summary>RIGHT-TO-LEFT OVERRIDE: it passes the validator and the key rules, and reverses what follows on a line.</summary>
    private const char Override = '\u202e';

    private const string OverrideShown = "\\u202e";

    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>A stored student and a rejected one, both with the attack in an extra attribute; the override in the name of the file and in a department.</summary>
    private async Task<string> IngestAsync()
    {
        var note = JsonEncodedText.Encode(Attack).ToString();
        var file = _cli.WriteFile($"evil{Override}nosj.json", $$"""
            [{"StudentID": "S-1", "Name": "Ada Lovelace", "Department": "Maths{{Override}}", "Email": "ada@example.edu", "Note": "{{note}}"},
             {"StudentID": "S-2", "Name": "", "Department": "Maths", "Email": "not an address", "Note": "{{note}}"}]
            """);
        var run = await _cli.RunAsync("run", file);
        Assert.True(run.Exit == 0, run.Error);
        AssertSafe(run.Out + run.Error);
        Assert.Contains($"evil{OverrideShown}nosj.json", run.Out, StringComparison.Ordinal);
        return Path.GetFileName(file);
    }

    private Task<CliResult> RunAsync(bool terminal, params string[] args) => terminal ? _cli.RunOnTerminalAsync(200, args) : _cli.RunAsync(args);

    private static void AssertSafe(string printed)
    {
        Assert.DoesNotContain('\u001b', printed);
        Assert.DoesNotContain('\u0007', printed);
        Assert.DoesNotContain(Override, printed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Students_get_shows_the_escape_sequences_of_an_attribute_as_text(bool terminal)
    {
        await IngestAsync();

        var shown = await RunAsync(terminal, "students", "get", "S-1");

        Assert.Equal(0, shown.Exit);
        AssertSafe(shown.Out);
        Assert.Contains(AttackShown, shown.Out, StringComparison.Ordinal);
        Assert.Contains($"Maths{OverrideShown}", shown.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Students_list_shows_the_override_in_a_department_as_text(bool terminal)
    {
        var name = await IngestAsync();

        var shown = await RunAsync(terminal, "students", "list");

        Assert.Equal(0, shown.Exit);
        AssertSafe(shown.Out);
        Assert.Contains($"Maths{OverrideShown}", shown.Out, StringComparison.Ordinal);
        Assert.Contains($"evil{OverrideShown}nosj.json", shown.Out, StringComparison.Ordinal);
        Assert.Contains("incoming/" + name, (await _cli.RunAsync("students", "list", "--json")).Out, StringComparison.Ordinal); // JSON keeps the value
    }

    [Theory]
    [InlineData("students", "list", "--json")]
    [InlineData("students", "get", "S-1", "--json")]
    [InlineData("outbox", "--json")]
    [InlineData("files", "--json")]
    public async Task Json_output_escapes_the_control_characters_and_keeps_the_values(params string[] command)
    {
        await IngestAsync();

        var shown = await _cli.RunAsync(command);

        Assert.Equal(0, shown.Exit);
        Assert.DoesNotContain('\u001b', shown.Out);
        Assert.DoesNotContain('\u0007', shown.Out);
        var documents = command.Contains("get") ? [JsonDocument.Parse(shown.Out).RootElement] : shown.JsonLines;
        Assert.NotEmpty(documents);
        if (command[0] == "students")
        {
            Assert.All(documents, student => Assert.Equal(Attack, student.GetProperty("Note").GetString()));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Report_shows_the_file_name_and_the_csv_cells_as_text_on_a_terminal(bool terminal)
    {
        var name = await IngestAsync();

        var report = await RunAsync(terminal, "report", name);
        var csv = await RunAsync(terminal, "report", name, "--format", "csv");

        Assert.Equal((0, 0), (report.Exit, csv.Exit));
        AssertSafe(report.Out);
        Assert.Contains($"evil{OverrideShown}nosj.json", report.Out, StringComparison.Ordinal);
        if (terminal)
        {
            AssertSafe(csv.Out);
            Assert.Contains(AttackShown, csv.Out, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(Attack, csv.Out, StringComparison.Ordinal); // a file for a spreadsheet keeps its data as it was
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Outbox_shows_an_attribute_holding_the_override_as_text(bool terminal)
    {
        await IngestAsync();

        var shown = await RunAsync(terminal, "outbox");

        Assert.Equal(0, shown.Exit);
        AssertSafe(shown.Out);
        Assert.Contains($"Department=Maths{OverrideShown}", shown.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Files_shows_a_key_holding_the_override_as_text(bool terminal)
    {
        await IngestAsync();

        var shown = await RunAsync(terminal, "files");

        Assert.Equal(0, shown.Exit);
        AssertSafe(shown.Out);
        Assert.Contains($"incoming/evil{OverrideShown}nosj.json", shown.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_names_a_file_whose_name_holds_an_escape_in_text()
    {
        var file = _cli.WriteFile($"a{Attack}.json", "[]");

        var run = await _cli.RunAsync("run", file);

        Assert.Equal(2, run.Exit);
        AssertSafe(run.Error);
        Assert.Contains($"a{AttackShown}.json", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_names_files_holding_an_escape_or_the_override_in_text()
    {
        var incoming = Path.Combine(_cli.DataDir, "s3", "ingestion", "incoming");
        Directory.CreateDirectory(incoming);
        File.WriteAllText(Path.Combine(incoming, $"a{Attack}.json"), "[]");
        File.Copy(CliFixture.TestData("students.json"), Path.Combine(incoming, $"evil{Override}nosj.json"));
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var error = new StringWriter();
        var host = new CliHost { Out = new NotifyingWriter(output, stop), Error = error, GetVariable = _ => null };

        var exit = await CliRunner.InvokeAsync(["watch", "--settle", "0", "--data-dir", _cli.DataDir], host, stop.Token).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, exit);
        AssertSafe(output.ToString() + error);
        Assert.Contains($"incoming/a{AttackShown}.json: not ingested", error.ToString(), StringComparison.Ordinal);
        Assert.Contains($"incoming/evil{OverrideShown}nosj.json: SUCCEEDED", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_to_paste_writes_what_a_terminal_would_act_on_as_escapes_bash_reads_back()
    {
        var name = $"evil{Override}nosj.json";

        var quoted = Ingestion.Cli.Output.CommandHint.Quote(name);

        AssertSafe(quoted);
        var echo = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", ["-c", $"printf %s {quoted}"]) { RedirectStandardOutput = true, Environment = { ["LC_ALL"] = "C" } })!;
        var readBack = await echo.StandardOutput.ReadToEndAsync();
        await echo.WaitForExitAsync();
        Assert.Equal(name, readBack);
    }
}
