using System.Text;
using System.Text.Json;
using Ingestion.Functions.Tests.Support;
using Ingestion.Testing;

namespace Ingestion.Functions.Tests.Functions;

/// <summary>What the registrar gets from a run: a report per version, the rejections CSV, the summary by reason, the e-mail.</summary>
public sealed class ReportTests : IDisposable
{
    private const string Region = "eu-west-1";
    private static readonly byte[] MisspeltHeader = Encoding.UTF8.GetBytes("StudentID,Nmae,Department,Email\nS1,Ann,Maths,ann@x.edu\nS2,\"Lee, Bo\",=1+1,bo@x.edu\nS3,Zoë,Physics,zoe@x.edu\n");

    private readonly TempFolder _folder = new();
    private readonly LocalRun _run;

    public ReportTests()
    {
        _run = new LocalRun(_folder, new ManualClock(), Region);
    }

    private static byte[] TestData(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "testdata", name));

    [Fact]
    public async Task A_later_upload_of_the_same_name_keeps_the_earlier_report()
    {
        var (firstRegistration, first) = await _run.IngestAsync("students.csv", MisspeltHeader);
        var (secondRegistration, second) = await _run.IngestAsync("students.csv", Encoding.UTF8.GetBytes("StudentID,Name,Department,Email\nS1,Ann,Maths,ann@x.edu\n"));

        var firstKey = first!.Value.GetProperty("reportKey").GetString()!;
        var secondKey = second!.Value.GetProperty("reportKey").GetString()!;
        Assert.NotEqual(firstKey, secondKey);
        Assert.Equal(3, (await _run.ReportAsync(first.Value)).GetProperty("counts").GetProperty("rejected").GetInt64());
        Assert.Equal(0, (await _run.ReportAsync(second.Value)).GetProperty("counts").GetProperty("rejected").GetInt64());
        foreach (var (registration, key) in new[] { (firstRegistration, firstKey), (secondRegistration, secondKey) })
        {
            var version = registration.GetProperty("file").GetProperty("versionId").GetString()!;
            Assert.Equal(key, (await _run.Ledger.GetAsync(LocalRun.Bucket, "incoming/students.csv", version))!.ReportKey);
        }
    }

    [Fact]
    public async Task The_rejections_CSV_beside_the_report_has_a_row_per_rejected_record_with_its_fields()
    {
        var (_, summary) = await _run.IngestAsync("students.csv", MisspeltHeader);

        var rows = CsvRows.Parse(await _run.RejectionsCsvAsync(summary!.Value));
        var report = await _run.ReportAsync(summary.Value);

        Assert.Equal(summary.Value.GetProperty("rejectionsKey").GetString(), report.GetProperty("rejections").GetString());
        Assert.Equal(["Row", "Rejected StudentID", "Reasons", "Messages", "StudentID", "Nmae", "Department", "Email"], rows[0]);
        Assert.Equal(["2", "3", "4"], rows.Skip(1).Select(r => r[0]));
        Assert.Equal(["3", "S2", "MISSING_FIELD (Name)", "Name is missing.", "S2", "Lee, Bo", "'=1+1", "bo@x.edu"], rows[2]);
        Assert.Equal("Zoë", rows[3][5]);
        Assert.Equal([2L, 3, 4], report.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("row").GetInt64()));
    }

    [Fact]
    public async Task A_JSON_file_s_rejections_are_numbered_by_position_from_one()
    {
        var (_, summary) = await _run.IngestAsync("students-mixed.json", TestData("students-mixed.json"));

        var rows = CsvRows.Parse(await _run.RejectionsCsvAsync(summary!.Value));

        Assert.Equal(["3", "5", "6", "8", "9", "11", "12", "13", "14"], rows.Skip(1).Select(r => r[0]));
    }

    [Fact]
    public async Task The_report_opens_with_the_callout_and_the_summary_by_reason()
    {
        var (_, summary) = await _run.IngestAsync("students.csv", MisspeltHeader);

        var report = await _run.ReportAsync(summary!.Value);
        var names = report.EnumerateObject().Select(p => p.Name).ToList();

        Assert.True(names.IndexOf("summary") < names.IndexOf("rejected"), string.Join(",", names));
        Assert.Equal("MISSPELT_HEADER", report.GetProperty("callout").GetProperty("cause").GetString());
        var reason = report.GetProperty("summary").EnumerateArray().Single();
        Assert.Equal(("MISSING_FIELD", "Name", 3, 2), (reason.GetProperty("code").GetString(), reason.GetProperty("field").GetString(), reason.GetProperty("count").GetInt32(), reason.GetProperty("exampleRow").GetInt32()));
    }

    [Fact]
    public async Task The_e_mail_is_plain_text_with_the_callout_the_summary_and_where_the_CSV_is()
    {
        var (_, summary) = await _run.IngestAsync("students.csv", MisspeltHeader);

        var message = summary!.Value.GetProperty("message").GetString()!;
        var csvKey = summary.Value.GetProperty("rejectionsKey").GetString()!;

        Assert.Contains("CHECK THIS FILE: 3 of 3 records were rejected: the column name 'Nmae' (for 'Name') looks misspelt.", message, StringComparison.Ordinal);
        Assert.Contains("  MISSING_FIELD (Name): 3, e.g. row 2\n", message, StringComparison.Ordinal);
        Assert.Contains("Commonest: MISSING_FIELD (Name) (3, e.g. row 2)\n", message, StringComparison.Ordinal);
        Assert.Contains($"Rejections spreadsheet: s3://{LocalRun.Bucket}/{csvKey}\n", message, StringComparison.Ordinal);
        Assert.Contains($"https://s3.console.aws.amazon.com/s3/object/{LocalRun.Bucket}?region={Region}&prefix={Uri.EscapeDataString(csvKey)}\n", message, StringComparison.Ordinal);
        Assert.DoesNotContain('{', message);
        Assert.Equal(summary.Value.GetProperty("callout").GetString(), (await _run.ReportAsync(summary.Value)).GetProperty("callout").GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_subject_of_a_file_called_out_stays_printable_ASCII_under_100_characters()
    {
        var (_, summary) = await _run.IngestAsync(new string('é', 90) + ".csv", MisspeltHeader);

        var subject = summary!.Value.GetProperty("subject").GetString()!;

        Assert.InRange(subject.Length, 1, 99);
        Assert.All(subject, c => Assert.InRange(c, ' ', '~'));
        Assert.EndsWith("SUCCEEDED (3 received, 3 rejected) CHECK FILE", subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_mostly_accepted_has_no_callout_and_its_CSV_only_a_header_when_nothing_was_rejected()
    {
        var (_, summary) = await _run.IngestAsync("students.csv", Encoding.UTF8.GetBytes("StudentID,Name,Department,Email\nS1,Ann,Maths,ann@x.edu\n"));

        Assert.False(summary!.Value.TryGetProperty("callout", out _));
        Assert.Single(CsvRows.Parse(await _run.RejectionsCsvAsync(summary.Value)));
        Assert.DoesNotContain("Rejections spreadsheet", summary.Value.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_report_lists_a_rejected_record_a_line_in_the_file_s_order()
    {
        var (_, summary) = await _run.IngestAsync("students-mixed.json", TestData("students-mixed.json"));

        await using var content = await _run.Objects.GetAsync(LocalRun.Bucket, summary!.Value.GetProperty("reportKey").GetString()!);
        var text = await new StreamReader(content.Content).ReadToEndAsync();
        var lines = text.Split('\n').Where(line => line.StartsWith("    {\"index\":", StringComparison.Ordinal)).ToList();
        var indexes = lines.Select(line => JsonDocument.Parse(line.TrimEnd(',')).RootElement.GetProperty("index").GetInt64()).ToList();

        Assert.Equal(summary.Value.GetProperty("counts").GetProperty("rejected").GetInt64(), lines.Count);
        Assert.Equal(indexes.Order(), indexes);
        Assert.Equal(indexes, JsonDocument.Parse(text).RootElement.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("index").GetInt64()));
    }

    public void Dispose()
    {
        _run.Dispose();
        _folder.Dispose();
    }
}
