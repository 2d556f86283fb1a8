using System.Globalization;
using System.Text.RegularExpressions;
using Ingestion.States.Jsonata.Evaluation;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>$fromMillis and $toMillis: ISO 8601 by default, XPath picture strings otherwise.</summary>
internal static partial class DateTimeFunctions
{
    private const string IsoPicture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

    public static object? FromMillis(object?[] a)
    {
        if (a[0] is not double millis)
        {
            return null;
        }

        var picture = a.Length > 1 && a[1] is string p ? p : IsoPicture;
        var offset = a.Length > 2 && a[2] is string tz ? ParseOffset(tz) : TimeSpan.Zero;
        // JavaScript dates span ±8.64e15 ms; .NET's is narrower still. Beyond it there is no date to print.
        if (millis is < -62135596800000 or > 253402300799999)
        {
            throw JsonataErrors.Create("D1001", $"Number out of range: {Text.NumberText.Format(millis)}");
        }

        var instant = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(millis));
        return DateTimeFormatter.Format(instant, DateTimePicture.Parse(picture), offset);
    }

    private static TimeSpan ParseOffset(string timezone)
    {
        var sign = timezone.StartsWith('-') ? -1 : 1;
        var digits = timezone.TrimStart('+', '-');

        // ±HHMM, ±HMM or ±HH: the last two digits are minutes once there are more than two.
        var hourDigits = digits.Length > 2 ? digits.Length - 2 : digits.Length;
        var hours = int.TryParse(digits.AsSpan(0, hourDigits), CultureInfo.InvariantCulture, out var h) ? h : 0;
        var minutes = digits.Length > 2 && int.TryParse(digits.AsSpan(hourDigits), CultureInfo.InvariantCulture, out var m) ? m : 0;
        var offset = new TimeSpan(sign * hours, sign * minutes, 0);
        if (offset.Duration() > TimeSpan.FromHours(14))
        {
            throw JsonataErrors.Create("D3134", $"The timezone offset {timezone} is out of range");
        }

        return offset;
    }

    public static object? ToMillis(Evaluator evaluator, object?[] a)
    {
        if (a[0] is not string text)
        {
            return null;
        }

        if (a.Length > 1 && a[1] is string picture)
        {
            return DateTimeParser.Parse(text, DateTimePicture.Parse(picture), evaluator.Now);
        }

        var match = IsoTimestamp().Match(text);
        if (!match.Success)
        {
            throw JsonataErrors.Create("D3110", $"The timestamp {text} is not in ISO 8601 format and no picture string was given");
        }

        int Part(string name, int fallback) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : fallback;
        var fraction = match.Groups["f"].Success ? double.Parse("0." + match.Groups["f"].Value, CultureInfo.InvariantCulture) : 0;
        var offset = TimeSpan.Zero;
        if (match.Groups["tz"].Success && match.Groups["tz"].Value != "Z")
        {
            offset = ParseOffset(match.Groups["tz"].Value.Replace(":", string.Empty, StringComparison.Ordinal));
        }

        var dt = new DateTimeOffset(Part("Y", 1970), Part("M", 1), Part("D", 1), Part("h", 0), Part("m", 0), Part("s", 0), offset);
        return (double)dt.ToUnixTimeMilliseconds() + Math.Round(fraction * 1000);
    }

    [GeneratedRegex(@"^(?<Y>\d{4})(-(?<M>\d{2})(-(?<D>\d{2})(T(?<h>\d{2}):(?<m>\d{2})(:(?<s>\d{2})(\.(?<f>\d+))?)?(?<tz>Z|[+-]\d{2}:?\d{2})?)?)?)?$")]
    private static partial Regex IsoTimestamp();
}
