using System.Globalization;

namespace Ingestion.Domain;

/// <summary>The two ways times are written: on the wire (ISO-8601 UTC, milliseconds) and in storage (sortable, ticks).</summary>
public static class TimeFormat
{
    private const string WireFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private const string StorageFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary><c>2026-11-24T02:00:00.000Z</c>: what JSON contracts and logs carry.</summary>
    public static string ToWire(DateTimeOffset time) => time.UtcDateTime.ToString(WireFormat, CultureInfo.InvariantCulture);

    /// <summary>Fixed width, so text order is time order; keeps every tick.</summary>
    public static string ToStorage(DateTimeOffset time) => time.UtcDateTime.ToString(StorageFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset FromStorage(string text) =>
        DateTimeOffset.ParseExact(text, StorageFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Parses any ISO-8601 time; a time without an offset is UTC.</summary>
    public static bool TryParse(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
