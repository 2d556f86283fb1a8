using System.Text;
using Ingestion.Local.Tests.Support;

namespace Ingestion.Local.Tests.Pipeline;

/// <summary>
/// A CSV file delimited by semicolons, tabs or pipes is read as such: RegisterFile tells the delimiter from the header
/// line, and IngestFile reads the file with the Distributed Map whose ItemReader splits on it.
/// </summary>
public sealed class CsvDelimiterTests
{
    private const string Sample = "students-mixed.csv";

    public static TheoryData<string, char> Delimiters => new() { { "SEMICOLON", ';' }, { "TAB", '\t' }, { "PIPE", '|' } };

    [Theory]
    [MemberData(nameof(Delimiters))]
    public async Task A_csv_file_with_another_delimiter_ingests_as_its_comma_separated_twin(string name, char delimiter)
    {
        await using var commaRun = TestPipeline.Create();
        await using var delimitedRun = TestPipeline.Create();
        var comma = await commaRun.IngestAsync(TestPipeline.TestData(Sample));
        var delimited = await delimitedRun.IngestAsync(delimitedRun.WriteFile(Sample, WithDelimiter(File.ReadAllText(TestPipeline.TestData(Sample)), delimiter)));

        Assert.Equal("SUCCEEDED", delimited.Status);
        Assert.Equal(comma.Counts, delimited.Counts);
        Assert.Equal(6, delimited.Counts.Created);
        Assert.Equal(Students(await commaRun.StudentsAsync()), Students(await delimitedRun.StudentsAsync()));
        Assert.Equal(Rejections(await commaRun.ReportAsync(Sample)), Rejections(await delimitedRun.ReportAsync(Sample)));
        Assert.Contains($"\"csvDelimiter\":\"{name}\"", File.ReadAllText(delimitedRun.Pipeline.Data.HandlersLog), StringComparison.Ordinal);
    }

    /// <summary>The same rows with another delimiter: commas inside quoted fields stay, as they are data.</summary>
    private static string WithDelimiter(string csv, char delimiter)
    {
        var text = new StringBuilder(csv.Length);
        var quoted = false;
        foreach (var c in csv)
        {
            quoted ^= c == '"';
            text.Append(c == ',' && !quoted ? delimiter : c);
        }

        return text.ToString();
    }

    private static List<string> Students(IEnumerable<Ingestion.Domain.Storage.StoredStudent> students) =>
        [.. students.Select(s => $"{s.StudentId} {s.ContentHash} {s.SourceIndex}").Order(StringComparer.Ordinal)];

    private static List<string> Rejections(System.Text.Json.JsonElement report) =>
        [.. report.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("index").GetInt64() + " " + string.Join(",", r.GetProperty("reasons").EnumerateArray().Select(x => x.GetProperty("code").GetString())))];
}
