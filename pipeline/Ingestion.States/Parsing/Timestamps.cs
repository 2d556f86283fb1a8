using System.Globalization;
using System.Text.RegularExpressions;

namespace Ingestion.States.Parsing;

/// <summary>
/// The RFC 3339 profile the States Language requires: an uppercase T between date and time and
/// an uppercase Z when no numeric offset is given.
/// </summary>
internal static partial class Timestamps
{
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        if (!Rfc3339().IsMatch(text))
        {
            value = default;
            return false;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>The format AWS uses for timestamps in the context object and results: UTC, milliseconds, Z.</summary>
    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
