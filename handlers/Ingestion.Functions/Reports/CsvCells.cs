namespace Ingestion.Functions.Reports;

/// <summary>Writes CSV cells as RFC 4180 says, made safe to open in a spreadsheet.</summary>
/// <remarks>
/// OWASP's CSV injection guidance: a cell that starts with '=', '+', '-', '@', a tab or a carriage return is run by
/// spreadsheets as a formula, so it gets a leading single quote, which makes it text. Quoting (RFC 4180 2.6, 2.7) does
/// not prevent that; it keeps commas, quotes and line breaks inside the cell. Rows end with CRLF.
/// </remarks>
internal static class CsvCells
{
    public static void AppendRow(TextWriter csv, IEnumerable<string> cells)
    {
        AppendCells(csv, cells);
        csv.Write("\r\n");
    }

    /// <summary>A row's cells without the line break that ends it.</summary>
    /// <returns>How many cells were written.</returns>
    public static int AppendCells(TextWriter csv, IEnumerable<string> cells)
    {
        var count = 0;
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                csv.Write(',');
            }

            first = false;
            Append(csv, Neutralise(cell));
            count++;
        }

        return count;
    }

    /// <summary>The cell with a leading quote when a spreadsheet would take it for a formula.</summary>
    public static string Neutralise(string cell) =>
        cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + cell : cell;

    private static void Append(TextWriter csv, string cell)
    {
        if (cell.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            csv.Write(cell);
            return;
        }

        csv.Write('"');
        csv.Write(cell.Replace("\"", "\"\"", StringComparison.Ordinal));
        csv.Write('"');
    }
}
