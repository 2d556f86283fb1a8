using System.Globalization;

namespace Ingestion.Cli.Output;

/// <summary>How numbers, durations and times read in tables and progress lines.</summary>
internal static class Formats
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan value) => value.TotalSeconds < 60
        ? value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : $"{(int)value.TotalMinutes} min {value.Seconds} s";

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture) + "/s";

    public static string Number(double value) => Math.Abs(value % 1) < 1e-9
        ? value.ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("N2", CultureInfo.InvariantCulture);

    /// <summary>Cuts long text for a table cell.</summary>
    public static string Short(string? text, int max) => text is null ? string.Empty
        : text.Length <= max ? text
        : text[..(max - 1)] + "…";

    /// <summary>
    /// A value from data as a table cell: what a terminal would act on made visible (<see cref="TerminalText"/>), and
    /// Spectre's markup brackets escaped.
    /// </summary>
    public static string Cell(string? text) => Spectre.Console.Markup.Escape(TerminalText.Visible(text));

    /// <summary>Values from data as one cell, a line each (the line breaks are ours, any in the values are shown).</summary>
    public static string Cell(IEnumerable<string> lines) => string.Join("\n", lines.Select(Cell));

    /// <summary>A value from data as a cell cut into lines where it breaks naturally (<see cref="Wrap"/>), made safe as <see cref="Cell(string?)"/> says.</summary>
    public static string WrappedCell(string? text, int width) => Spectre.Console.Markup.Escape(Wrap(TerminalText.Visible(text), width));

    /// <summary>The last part of an ARN (a topic's name).</summary>
    public static string NameOf(string arn) => arn[(arn.LastIndexOf(':') + 1)..];

    /// <summary>
    /// Text cut into lines of at most <paramref name="width"/> characters, each ending where a name breaks naturally
    /// (after '/', '-', '_', '.', or at a space) when one is near: a long file name in a narrow column reads as its
    /// parts (<c>registrar-export-2024-</c> / <c>autumn-term.json</c>) instead of being cut mid-word by the table.
    /// </summary>
    /// <remarks>A break that would leave less than a line's third, or a tail of a few characters (<c>json</c>), is passed over.</remarks>
    /// <param name="breaks">The characters a line may end after.</param>
    public static string Wrap(string text, int width, string breaks = "/-_. ")
    {
        ArgumentNullException.ThrowIfNull(text);
        if (width < 1 || text.Length <= width)
        {
            return text;
        }

        const int ShortestTail = 6;
        var lines = new List<string>();
        var rest = text.AsSpan();
        while (rest.Length > width)
        {
            var cut = width;
            for (var at = rest[..width].LastIndexOfAny(breaks); at >= width / 3; at = rest[..at].LastIndexOfAny(breaks))
            {
                if (rest.Length - (at + 1) >= ShortestTail)
                {
                    cut = at + 1;
                    break;
                }
            }

            lines.Add(rest[..cut].TrimEnd(' ').ToString());
            rest = rest[cut..];
        }

        lines.Add(rest.ToString());
        return string.Join('\n', lines);
    }

    /// <summary>
    /// Parts joined by spaces, a line broken only between two parts so each line is at most <paramref name="width"/>
    /// (a part longer than that stays whole on a line of its own): "6 created," never leaves its number behind.
    /// </summary>
    public static string JoinWrapped(IEnumerable<string> parts, int width)
    {
        var text = new System.Text.StringBuilder();
        var line = 0;
        foreach (var part in parts)
        {
            if (line > 0 && line + 1 + part.Length > width)
            {
                text.Append('\n');
                line = 0;
            }
            else if (line > 0)
            {
                text.Append(' ');
                line++;
            }

            text.Append(part);
            line += part.Length;
        }

        return text.ToString();
    }

    /// <summary>
    /// The width left for one column of a table drawn with <paramref name="columns"/> columns in <paramref name="width"/>
    /// terminal columns, once the others have <paramref name="others"/> (a cell's padding and border take 3 each, plus
    /// the closing border).
    /// </summary>
    public static int Room(int width, int columns, params int[] others) => Math.Max(8, width - (3 * columns) - 1 - others.Sum());
}
