using System.Globalization;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;

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

    /// <summary>The last part of an ARN (a topic's name).</summary>
    public static string NameOf(string arn) => arn[(arn.LastIndexOf(':') + 1)..];
}
