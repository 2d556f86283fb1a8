using System.Text;
using System.Text.Json;

namespace Ingestion.Cli.Tests.Commands;

/// <summary>
/// A file whose name is as long as Linux allows (255 bytes a name) is ingested and reported like any other: every name
/// derived from it (its metadata, its report and CSV, archive/, the version kept aside) must fit as well.
/// </summary>
public sealed class LongFileNameTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Incoming => Path.Combine(_cli.DataDir, "s3", "ingestion", "incoming");

    /// <summary>Names of 245 and 255 UTF-8 bytes, in ASCII and in two- and three-byte characters.</summary>
    public static TheoryData<string> Names => new()
    {
        Name("a", 245),
        Name("é", 245),
        Name("a", 255),
        Name("é", 255),
        Name("学", 255),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Run_stores_the_records_and_writes_the_report_and_csv(string name)
    {
        var file = _cli.WriteFile(name, Mixed);

        var run = await _cli.RunAsync("run", file, "--json");

        Assert.True(run.Exit == 0, run.Error + run.Out);
        await AssertIngestedAsync(name, Assert.Single(run.JsonLines));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Run_quarantines_an_unreadable_file_and_reports_why(string name)
    {
        var file = _cli.WriteFile(name, "[{\"StudentID\": ");

        var run = await _cli.RunAsync("run", file, "--json");

        Assert.Equal(1, run.Exit);
        Assert.Equal("QUARANTINED", Assert.Single(run.JsonLines).GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(_cli.DataDir, "s3", "ingestion", "quarantine", name)));
        var report = await _cli.RunAsync("report", name, "--json");
        Assert.True(report.Exit == 0, report.Error);
        using var document = JsonDocument.Parse(report.Out);
        Assert.Equal("QUARANTINED", document.RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Watch_stores_the_records_and_writes_the_report_and_csv(string name)
    {
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var error = new StringWriter();
        var host = new CliHost { Out = new NotifyingWriter(output, stop), Error = error, GetVariable = _ => null };
        var watching = CliRunner.InvokeAsync(["watch", "--settle", "0", "--json", "--data-dir", _cli.DataDir], host, stop.Token);
        DropIntoIncoming(name);

        var exit = await watching.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, error.ToString());
        await AssertIngestedAsync(name, JsonDocument.Parse(output.ToString()).RootElement);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Sync_stores_the_records_and_writes_the_report_and_csv(string name)
    {
        DropIntoIncoming(name);

        var sync = await _cli.RunAsync("sync", "--grace", "0", "--json");

        Assert.True(sync.Exit == 0, sync.Error + sync.Out);
        Assert.Equal((1, 0), (Assert.Single(sync.JsonLines).GetProperty("total").GetInt32(), sync.JsonLines[0].GetProperty("failed").GetInt32()));
        var files = await _cli.RunAsync("files", "--json");
        await AssertIngestedAsync(name, Assert.Single(files.JsonLines).GetProperty("counts"), Assert.Single(files.JsonLines).GetProperty("status").GetString());
    }

    /// <summary>Written beside the folder and renamed in, as the watch's help says to.</summary>
    private void DropIntoIncoming(string name)
    {
        Directory.CreateDirectory(Incoming);
        var part = Path.Combine(Incoming, ".part");
        File.WriteAllText(part, Mixed);
        File.Move(part, Path.Combine(Incoming, name));
    }

    private static string Mixed => """
        [{"StudentID": "S-1", "Name": "Ada Lovelace", "Department": "Maths", "Email": "ada@example.edu"},
         {"StudentID": "S-2", "Name": "", "Department": "Maths", "Email": "not an address"}]
        """;

    /// <summary>A name of exactly <paramref name="bytes"/> UTF-8 bytes ending in .json, made of <paramref name="unit"/> and 'x' to pad.</summary>
    private static string Name(string unit, int bytes)
    {
        var builder = new StringBuilder();
        var room = bytes - ".json".Length;
        var size = Encoding.UTF8.GetByteCount(unit);
        while (Encoding.UTF8.GetByteCount(builder.ToString()) + size <= room)
        {
            builder.Append(unit);
        }

        builder.Append('x', room - Encoding.UTF8.GetByteCount(builder.ToString()));
        var name = builder + ".json";
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(name));
        return name;
    }

    /// <summary>The records stored, the report and its CSV found by the file's name.</summary>
    /// <param name="counts">Where the counts are: a run's JSON line, or a ledger entry's counts.</param>
    private async Task AssertIngestedAsync(string name, JsonElement counts, string? status = null)
    {
        Assert.Equal("SUCCEEDED", status ?? counts.GetProperty("status").GetString());
        Assert.Equal((1, 1), (counts.GetProperty("created").GetInt64(), counts.GetProperty("rejected").GetInt64()));
        Assert.Equal(0, (await _cli.RunAsync("students", "get", "S-1")).Exit);

        var report = await _cli.RunAsync("report", name, "--json");
        Assert.True(report.Exit == 0, report.Error);
        using var document = JsonDocument.Parse(report.Out);
        Assert.Equal("SUCCEEDED", document.RootElement.GetProperty("status").GetString());
        Assert.Equal("incoming/" + name, document.RootElement.GetProperty("file").GetProperty("key").GetString());

        var csv = await _cli.RunAsync("report", name, "--format", "csv");
        Assert.True(csv.Exit == 0, csv.Error);
        Assert.Contains("S-2", csv.Out, StringComparison.Ordinal);
    }
}
