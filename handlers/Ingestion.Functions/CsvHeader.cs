namespace Ingestion.Functions;

/// <summary>
/// The field delimiter of a CSV file, told from its header line, named as Step Functions' ItemReader names it
/// (<c>ReaderConfig.CSVDelimiter</c>): the definition picks the Distributed Map whose reader splits on it.
/// </summary>
/// <remarks>
/// The header names the columns (StudentID, Name, Department, Email at least), so the delimiter is the candidate that
/// occurs most often in it outside double quotes; a tie goes to the earlier of comma, semicolon, tab, pipe, and a
/// header with none of them (one column) is read as comma-separated. SPACE, which AWS also reads, is not a candidate:
/// a header such as <c>Student ID,First name</c> holds as many spaces as commas.
/// </remarks>
public static class CsvHeader
{
    /// <summary>Step Functions reads CSV headers of at most 10 KiB; a longer one fails the ItemReader anyway.</summary>
    public const int MaxHeaderBytes = 10 * 1024;

    public const string Comma = "COMMA";

    private static readonly (byte Byte, string Name)[] Candidates = [((byte)',', Comma), ((byte)';', "SEMICOLON"), ((byte)'\t', "TAB"), ((byte)'|', "PIPE")];

    /// <summary>The character an ItemReader delimiter name stands for; comma for null (a file registered before delimiters were read).</summary>
    public static char CharOf(string? name)
    {
        foreach (var (b, candidate) in Candidates)
        {
            if (string.Equals(candidate, name, StringComparison.Ordinal))
            {
                return (char)b;
            }
        }

        return ',';
    }

    /// <summary>The delimiter of the header line that starts <paramref name="start"/> (the file's first bytes).</summary>
    public static string DelimiterOf(ReadOnlySpan<byte> start)
    {
        Span<int> counts = stackalloc int[Candidates.Length];
        var quoted = false;
        foreach (var b in start)
        {
            if (b == (byte)'"')
            {
                quoted = !quoted;
            }
            else if (!quoted && b is (byte)'\n' or (byte)'\r')
            {
                break;
            }
            else if (!quoted)
            {
                for (var i = 0; i < Candidates.Length; i++)
                {
                    counts[i] += b == Candidates[i].Byte ? 1 : 0;
                }
            }
        }

        var best = 0;
        for (var i = 1; i < Candidates.Length; i++)
        {
            best = counts[i] > counts[best] ? i : best;
        }

        return Candidates[best].Name;
    }

    /// <summary>Reads the first <see cref="MaxHeaderBytes"/> of <paramref name="content"/> (or all of it when shorter).</summary>
    public static async Task<string> DelimiterOfAsync(Stream content, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeaderBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await content.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
            if (buffer.AsSpan(read - n, n).IndexOfAny((byte)'\n', (byte)'\r') >= 0)
            {
                break; // the header line is in: the rest of the file is never read
            }
        }

        return DelimiterOf(buffer.AsSpan(0, read));
    }
}
