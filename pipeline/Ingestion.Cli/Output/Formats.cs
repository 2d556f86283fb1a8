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

    /// <summary>The last part of an ARN (a topic's name).</summary>
    public static string NameOf(string arn) => arn[(arn.LastIndexOf(':') + 1)..];
}
