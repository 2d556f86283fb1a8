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
    /// Text from a file made safe for a terminal cell: control characters (ESC, BEL, line breaks: an attribute holding
    /// <c>ESC]0;…BEL ESC[2J</c> would retitle the window and clear the screen) and bidirectional overrides are shown
    /// as <c>\uXXXX</c>, and Spectre's markup brackets are escaped.
    /// </summary>
    public static string Cell(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'
                ? builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}")
                : builder.Append(c);
        }

        return Spectre.Console.Markup.Escape(builder.ToString());
    }

    /// <summary>The last part of an ARN (a topic's name).</summary>
    public static string NameOf(string arn) => arn[(arn.LastIndexOf(':') + 1)..];
}
