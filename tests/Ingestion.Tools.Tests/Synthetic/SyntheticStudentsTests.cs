using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ingestion.Tools.Synthetic;

namespace Ingestion.Tools.Tests.Synthetic;

public sealed class SyntheticStudentsTests
{
    [Theory]
    [InlineData(ExportFormat.Json)]
    [InlineData(ExportFormat.JsonLines)]
    [InlineData(ExportFormat.Csv)]
    public void Write_is_deterministic(ExportFormat format)
    {
        Assert.Equal(Digest(2_000, format, 0.01), Digest(2_000, format, 0.01));
    }

    [Fact]
    public void Write_json_array_holds_every_student_about_two_percent_invalid()
    {
        using var output = new MemoryStream();
        var export = SyntheticStudents.Write(output, 10_000, ExportFormat.Json);

        using var document = JsonDocument.Parse(output.ToArray());
        Assert.Equal(10_000, document.RootElement.GetArrayLength());
        Assert.Equal(output.Length, export.Bytes);
        Assert.InRange(export.Invalid, 150, 250);
        Assert.Contains(document.RootElement.EnumerateArray(), item => item.ValueKind == JsonValueKind.Null);
        Assert.Contains(document.RootElement.EnumerateArray(), item => item.ValueKind == JsonValueKind.Object && item.TryGetProperty("Advisor", out _));
    }

    [Fact]
    public void Write_json_lines_one_parsable_value_per_line()
    {
        using var output = new MemoryStream();
        SyntheticStudents.Write(output, 1_000, ExportFormat.JsonLines);

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1_000, lines.Length);
        Assert.All(lines, line => JsonDocument.Parse(line).Dispose());
    }

    [Fact]
    public void Write_csv_gives_a_header_then_one_row_per_student()
    {
        using var output = new MemoryStream();
        SyntheticStudents.Write(output, 1_000, ExportFormat.Csv);

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("StudentID,Name,Department,Email,Year,Advisor", lines[0]);
        Assert.Equal(1_001, lines.Length);
    }

    [Fact]
    public void Write_changed_fraction_alters_that_share_and_nothing_else()
    {
        var original = Lines(5_000, 0);
        var rerun = Lines(5_000, 0.1);

        var differing = original.Zip(rerun).Count(pair => pair.First != pair.Second);
        Assert.InRange(differing, 400, 600);
        Assert.Equal(original.Length, rerun.Length);
    }

    private static string[] Lines(int count, double changed)
    {
        using var output = new MemoryStream();
        SyntheticStudents.Write(output, count, ExportFormat.JsonLines, changed);
        return Encoding.UTF8.GetString(output.ToArray()).Split('\n');
    }

    private static string Digest(int count, ExportFormat format, double changed)
    {
        using var output = new MemoryStream();
        SyntheticStudents.Write(output, count, format, changed);
        return Convert.ToHexString(SHA256.HashData(output.ToArray()));
    }
}
