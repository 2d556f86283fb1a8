using System.Text;
using Ingestion.Functions.Reports;

namespace Ingestion.Functions.Tests.Reports;

/// <summary>The second read of a file: rows as a spreadsheet numbers them, fields in the file's order.</summary>
public sealed class SourceCursorTests
{
    /// <summary>Reads as SummarizeRun does, with the CSV delimiter RegisterFile tells from the header, asking for the records wanted in index order.</summary>
    private static async Task<Source> ReadAsync(string text, string inputType, params long[] wanted)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var delimiter = inputType == "CSV" ? CsvHeader.DelimiterOf(bytes) : null;
        await using var cursor = SourceCursor.Open(new MemoryStream(bytes), inputType, delimiter, CancellationToken.None);
        var records = new Dictionary<long, SourceRecord>();
        foreach (var index in wanted.Order())
        {
            if (await cursor.FindAsync(index, CancellationToken.None) is { } found)
            {
                records[index] = found;
            }
        }

        return new Source(records, [.. cursor.Columns], cursor.Delimiter);
    }

    private sealed record Source(Dictionary<long, SourceRecord> Records, List<string> Columns, char? Delimiter);

    private static List<string> Names(SourceRecord record) => [.. record.Fields.Select(f => f.Key)];

    private static List<string> Values(SourceRecord record) => [.. record.Fields.Select(f => f.Value)];

    [Fact]
    public async Task A_CSV_record_is_on_the_row_after_the_header_and_every_blank_line_before_it()
    {
        var source = await ReadAsync("StudentID,Name\r\nS1,Ann\r\n\r\nS2,\"Bob\nJr\"\r\nS3,Cy\r\n", "CSV", 1, 2);

        Assert.Equal(4, source.Records[1].Row);
        Assert.Equal(["S2", "Bob\nJr"], Values(source.Records[1]));
        Assert.Equal(5, source.Records[2].Row); // the line break inside quotes stays in its cell
        Assert.Equal(["StudentID", "Name"], source.Columns);
        Assert.Equal(',', source.Delimiter);
    }

    [Fact]
    public async Task A_CSV_row_with_fewer_fields_than_the_header_gets_empty_ones_and_one_with_more_loses_them()
    {
        var source = await ReadAsync("\uFEFFA,B,C\nx\n1,2,3,4\n", "CSV", 0, 1);

        Assert.Equal(["A", "B", "C"], Names(source.Records[0]));
        Assert.Equal(["x", "", ""], Values(source.Records[0]));
        Assert.Equal(["1", "2", "3"], Values(source.Records[1]));
    }

    [Theory]
    [InlineData("StudentID;Name;Email\nS1;Ann;a@x\n", ';')]
    [InlineData("StudentID\tName\tEmail\nS1\tAnn\ta@x\n", '\t')]
    [InlineData("StudentID|Name|Email\nS1|Ann|a@x\n", '|')]
    [InlineData("\"Student;ID\",Name\nS1,Ann\n", ',')]
    [InlineData("StudentID;Name;Email,Phone\nS1;Ann;a@x,1\n", ';')] // most frequent outside quotes, as the map's reader was told
    public async Task The_CSV_delimiter_is_the_one_the_header_uses(string text, char delimiter)
    {
        var source = await ReadAsync(text, "CSV", 0);

        Assert.Equal(delimiter, source.Delimiter);
        Assert.Equal(delimiter == ',' ? 2 : 3, source.Columns.Count);
        Assert.Equal(CsvHeader.CharOf(CsvHeader.DelimiterOf(Encoding.UTF8.GetBytes(text))), source.Delimiter);
    }

    [Fact]
    public async Task A_JSON_Lines_record_is_on_its_line_blank_lines_counted()
    {
        var source = await ReadAsync("{\"a\":1}\n\n   \n{\"b\":\"x\",\"a\":null}\r\n{\"c\":[1, 2]}", "JSONL", 1, 2);

        Assert.Equal(4, source.Records[1].Row);
        Assert.Equal(["b", "a"], Names(source.Records[1]));
        Assert.Equal(["x", ""], Values(source.Records[1]));
        Assert.Equal(5, source.Records[2].Row);
        Assert.Equal(["[1, 2]"], Values(source.Records[2]));
        Assert.Equal(["b", "a", "c"], source.Columns);
    }

    [Fact]
    public async Task A_JSON_array_record_is_at_its_position_from_one_and_numbers_keep_their_digits()
    {
        var source = await ReadAsync("[{\"StudentID\":\"S1\"}, 42, {\"StudentID\":7.50,\"Ok\":true}]", "JSON", 1, 2);

        Assert.Equal(2, source.Records[1].Row);
        Assert.Empty(source.Records[1].Fields); // not an object: nothing to put in columns
        Assert.Equal(3, source.Records[2].Row);
        Assert.Equal(["7.50", "true"], Values(source.Records[2]));
    }

    [Fact]
    public async Task Records_not_wanted_are_not_returned()
    {
        var source = await ReadAsync("[{\"a\":1},{\"b\":2},{\"c\":3}]", "JSON", 1);

        Assert.Equal([1L], source.Records.Keys);
        Assert.Equal(["b"], source.Columns);
    }

    [Theory]
    [InlineData("CSV")]
    [InlineData("JSONL")]
    [InlineData("JSON")]
    public async Task Past_the_end_or_behind_the_cursor_finds_nothing_and_the_last_found_can_be_asked_again(string inputType)
    {
        var text = inputType switch
        {
            "CSV" => "A\n1\n2\n3\n",
            "JSONL" => "{\"A\":1}\n{\"A\":2}\n{\"A\":3}\n",
            _ => "[{\"A\":1},{\"A\":2},{\"A\":3}]",
        };
        await using var cursor = SourceCursor.Open(new MemoryStream(Encoding.UTF8.GetBytes(text)), inputType, null, CancellationToken.None);

        var second = await cursor.FindAsync(1, CancellationToken.None);
        var again = await cursor.FindAsync(1, CancellationToken.None);
        var behind = await cursor.FindAsync(0, CancellationToken.None);
        var past = await cursor.FindAsync(5, CancellationToken.None);

        Assert.Equal("2", second!.Fields.Single().Value);
        Assert.Same(second, again);
        Assert.Null(behind);
        Assert.Null(past);
    }

    [Theory]
    [InlineData("CSV", 7L, 9L)]
    [InlineData("JSONL", 7L, 8L)]
    [InlineData("JSON", 7L, 8L)]
    public void A_record_the_file_no_longer_has_gets_the_row_its_index_gives(string inputType, long index, long row) =>
        Assert.Equal(row, SourceCursor.EstimatedRow(index, inputType));
}
