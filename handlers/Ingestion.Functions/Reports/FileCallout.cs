using Ingestion.Domain.Students;

namespace Ingestion.Functions.Reports;

/// <summary>A file that looks wrong: more than half of its records rejected, and the likely cause.</summary>
/// <param name="Cause"><c>DELIMITER</c>, <c>MISSING_HEADER</c>, <c>MISSPELT_HEADER</c>, <c>MISSING_COLUMN</c>, <c>WRONG_COLUMN</c> or <c>UNKNOWN</c>.</param>
/// <param name="Message">One line for people: what happened, what probably caused it, what to do.</param>
internal sealed record FileCallout(string Cause, string Message)
{
    private static readonly string[] Required = [FieldNames.StudentId, FieldNames.Name, FieldNames.Department, FieldNames.Email];

    /// <summary>
    /// The callout for a file, or null when at most half of it was rejected. The cause is inferred from the commonest
    /// reasons and the header (or the JSON fields) seen; each rule is a guess a person confirms in the rejections CSV.
    /// </summary>
    /// <param name="rejected">How many records were rejected.</param>
    public static FileCallout? For(long received, long rejected, IReadOnlyList<ReasonCount> summary, SourceShape source, string inputType)
    {
        if (received == 0 || rejected * 2 <= received || summary.Count == 0)
        {
            return null;
        }

        var share = $"{rejected} of {received} records were rejected";
        var noun = inputType == "CSV" ? "column" : "field";
        var commonest = summary[0];
        var missing = Required.Where(field => summary.Any(s => s.Code == ReasonCodes.MissingField && s.Field == field && s.Count * 2 > rejected)).ToList();
        if (missing.Count > 0)
        {
            if (source.Delimiter is { } delimiter and not ',')
            {
                return new("DELIMITER", $"{share}: the file seems to use {Describe(delimiter)} between fields, where ',' is read, so its header reads as one column. Save it as CSV with commas, then upload it again.");
            }

            var unknown = source.Columns.Where(c => !Required.Contains(c.Trim(), StringComparer.OrdinalIgnoreCase)).ToList();
            if (inputType == "CSV" && unknown.Count == source.Columns.Count && unknown.Any(LooksLikeData))
            {
                return new("MISSING_HEADER", $"{share}: the first row looks like a student, not a header, so the file seems to have no header row. Add the header {string.Join(',', Required)} as row 1, then upload the file again.");
            }

            var misspelt = missing
                .SelectMany(field => unknown.Where(column => IsLike(column, field)).Take(1).Select(column => $"'{column}' (for '{field}')"))
                .ToList();
            if (misspelt.Count > 0)
            {
                return new("MISSPELT_HEADER", $"{share}: the {noun} name{(misspelt.Count > 1 ? "s" : "")} {string.Join(", ", misspelt)} look{(misspelt.Count > 1 ? "" : "s")} misspelt. Correct the {(inputType == "CSV" ? "header" : "field names")}, then upload the file again.");
            }

            // The columns are named only when the header is a real one (it names a required field): a first row of data
            // would put a student's name into the e-mail.
            var seen = unknown.Count < source.Columns.Count
                ? $"the {noun}s are {string.Join(", ", source.Columns.Take(12).Select(c => $"'{c}'"))}"
                : $"no {noun} is named like a required field";
            return new("MISSING_COLUMN", $"{share}: no {noun} is named {string.Join(", ", missing.Select(m => $"'{m}'"))} ({seen}). Add or rename it, then upload the file again.");
        }

        if (commonest.Field is { } wrong && commonest.Count * 2 > rejected && commonest.Code != ReasonCodes.RecordTooLarge)
        {
            var elsewhere = commonest.Code == ReasonCodes.EmailInvalid ? source.ColumnOfAddresses(besides: wrong) : null;
            var hint = elsewhere is null ? $"is the {noun} '{wrong}' the right one?" : $"the addresses seem to be in the {noun} '{elsewhere}': are {noun}s swapped?";
            return new("WRONG_COLUMN", $"{share}, {commonest.Count} for {commonest.Label} (e.g. row {commonest.ExampleRow}): {hint}");
        }

        return new("UNKNOWN", $"{share}, for no one cause; the commonest is {commonest.Label}: {commonest.Count} records, e.g. row {commonest.ExampleRow}.");
    }

    private static string Describe(char delimiter) => delimiter switch
    {
        '\t' => "tabs",
        ';' => "';'",
        _ => $"'{delimiter}'",
    };

    /// <summary>A header cell that reads like a value: an e-mail address, or a number.</summary>
    private static bool LooksLikeData(string cell) =>
        cell.Contains('@', StringComparison.Ordinal) || cell.Trim() is { Length: > 0 } t && t.All(c => char.IsAsciiDigit(c) || c is '-' or '.');

    /// <summary>Close to a required name: the same letters and digits, or one or two edits away (one for short names).</summary>
    internal static bool IsLike(string column, string field)
    {
        var a = Letters(column);
        var b = Letters(field);
        if (a.Length == 0)
        {
            return false;
        }

        return a == b || a.Contains(b, StringComparison.Ordinal) || Distance(a, b) <= (b.Length <= 5 ? 1 : 2);

        static string Letters(string text) => new([.. text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
    }

    /// <summary>Levenshtein distance with adjacent transpositions (optimal string alignment).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}

/// <summary>What the second read of the file showed of it: its columns, its delimiter, and where the rejected records hold e-mail addresses.</summary>
/// <param name="Columns">The CSV header, or the JSON records' keys in the order they first appear.</param>
/// <param name="Delimiter">The CSV delimiter the file was read with; null for JSON.</param>
/// <param name="RecordsRead">How many rejected records were found in the file.</param>
/// <param name="AddressesPerColumn">For each column, how many of those records hold an '@' in it.</param>
internal sealed record SourceShape(IReadOnlyList<string> Columns, char? Delimiter, long RecordsRead, IReadOnlyDictionary<string, long> AddressesPerColumn)
{
    public static readonly SourceShape None = new([], null, 0, new Dictionary<string, long>());

    /// <summary>A column other than <paramref name="besides"/> whose values, in most of the rejected records read, hold an '@'.</summary>
    public string? ColumnOfAddresses(string besides) => RecordsRead == 0
        ? null
        : Columns.FirstOrDefault(column => !string.Equals(column, besides, StringComparison.OrdinalIgnoreCase)
            && AddressesPerColumn.TryGetValue(column, out var count) && count * 2 > RecordsRead);
}
