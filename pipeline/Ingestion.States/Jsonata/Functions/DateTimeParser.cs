using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Ingestion.States.Jsonata.Evaluation;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>
/// Reads a timestamp with a <see cref="DateTimePicture"/> ($toMillis): the picture becomes a regular expression,
/// components missing above the most significant one given come from the current date, those below default.
/// </summary>
internal static class DateTimeParser
{
    public static double? Parse(string text, DateTimePicture picture, DateTimeOffset now)
    {
        var pattern = new StringBuilder("^");
        var markers = new List<DateTimeMarker>();
        for (var i = 0; i < picture.Parts.Count; i++)
        {
            var part = picture.Parts[i];
            if (part is string literal)
            {
                pattern.Append(Regex.Escape(literal));
                continue;
            }

            var marker = (DateTimeMarker)part;
            var adjacent = i + 1 < picture.Parts.Count && picture.Parts[i + 1] is DateTimeMarker;
            pattern.Append('(').Append(ComponentPattern(marker, adjacent)).Append(')');
            markers.Add(marker);
        }

        pattern.Append('$');
        if (markers.Count == 0)
        {
            return null;
        }

        var match = Regex.Match(text, pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        if (!match.Success)
        {
            return null;
        }

        var values = new Dictionary<char, int>();
        var pm = (bool?)null;
        var offset = TimeSpan.Zero;
        for (var m = 0; m < markers.Count; m++)
        {
            var marker = markers[m];
            var value = match.Groups[m + 1].Value;
            switch (marker.Component)
            {
                case 'P':
                    pm = value.StartsWith('p') || value.StartsWith('P');
                    break;
                case 'Z' or 'z':
                    offset = ParseZone(value);
                    break;
                case 'F' or 'C' or 'E':
                    break;
                case 'M' when DateTimePicture.IsName(marker.Presentation):
                    values['M'] = NameIndex(value, DateTimeFormatter.Months);
                    break;
                default:
                    values[marker.Component] = (int)(DateTimePicture.IntegerFormat(marker).ParseValue(value) ?? 0);
                    break;
            }
        }

        if (values.ContainsKey('X') || values.ContainsKey('x') || values.ContainsKey('W') || values.ContainsKey('w'))
        {
            throw Insufficient();
        }

        if (values.Remove('h', out var hour12))
        {
            values['H'] = (hour12 % 12) + (pm == true ? 12 : 0);
        }

        return Compose(values, now) - offset.TotalMilliseconds;
    }

    private static JsonataException Insufficient() =>
        JsonataErrors.Create("D3136", "The date/time picture string is missing specifiers required to parse the timestamp");

    private static double Compose(Dictionary<char, int> values, DateTimeOffset now)
    {
        var dayOfYear = values.Remove('d', out var doy);
        char[] order = ['Y', 'M', 'D', 'H', 'm', 's', 'f'];
        var present = order.Select(c => values.ContainsKey(c) || (dayOfYear && c is 'M' or 'D')).ToArray();
        var first = Array.IndexOf(present, true);
        var last = Array.LastIndexOf(present, true);
        if (first < 0)
        {
            return double.NaN;
        }

        for (var i = first; i <= last; i++)
        {
            if (!present[i])
            {
                throw Insufficient();
            }
        }

        int Get(int index, int fromNow, int fallback) =>
            values.TryGetValue(order[index], out var v) ? v : index < first ? fromNow : fallback;

        var year = Get(0, now.Year, 1970);
        var month = dayOfYear ? 1 : Get(1, now.Month, 1);
        var day = dayOfYear ? 1 : Get(2, now.Day, 1);
        var days = DaysSinceEpoch(year, month, day) + (dayOfYear ? doy - 1 : 0);
        return (days * 86_400_000.0) + (Get(3, now.Hour, 0) * 3_600_000.0) + (Get(4, now.Minute, 0) * 60_000.0) + (Get(5, now.Second, 0) * 1000.0) + Get(6, 0, 0);
    }

    /// <summary>
    /// Days from 1970-01-01 to a proleptic Gregorian date, for any year; months and days out of range roll over
    /// as JavaScript's Date.UTC lets them (month 13 is January of the next year).
    /// </summary>
    private static long DaysSinceEpoch(long year, long month, long day)
    {
        var monthIndex = month - 1;
        year += (long)Math.Floor(monthIndex / 12.0);
        var m = (((monthIndex % 12) + 12) % 12) + 1;
        var y = m <= 2 ? year - 1 : year;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yearOfEra = y - (era * 400);
        var dayOfYear = ((153 * (m + (m > 2 ? -3 : 9))) + 2) / 5;
        var dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146097) + dayOfEra - 719468 + (day - 1);
    }

    private static int NameIndex(string value, string[] names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i].StartsWith(value, StringComparison.OrdinalIgnoreCase))
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static TimeSpan ParseZone(string value)
    {
        var text = value.StartsWith("GMT", StringComparison.OrdinalIgnoreCase) ? value[3..] : value;
        if (text is "Z" or "z" or "")
        {
            return TimeSpan.Zero;
        }

        var sign = text[0] == '-' ? -1 : 1;
        var body = text[1..];
        int hours, minutes = 0;
        var colon = body.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            hours = int.Parse(body[..colon], CultureInfo.InvariantCulture);
            minutes = int.Parse(body[(colon + 1)..], CultureInfo.InvariantCulture);
        }
        else if (body.Length > 2)
        {
            hours = int.Parse(body[..^2], CultureInfo.InvariantCulture);
            minutes = int.Parse(body[^2..], CultureInfo.InvariantCulture);
        }
        else
        {
            hours = int.Parse(body, CultureInfo.InvariantCulture);
        }

        return new TimeSpan(sign * hours, sign * minutes, 0);
    }

    private static string ComponentPattern(DateTimeMarker marker, bool adjacent)
    {
        switch (marker.Component)
        {
            case 'P':
                return "[ap]m";
            case 'Z':
                return @"Z|[+-][0-9]{1,2}(?::?[0-9]{2})?";
            case 'z':
                return @"GMT[+-][0-9]{1,2}(?::?[0-9]{2})?";
            case 'C' or 'E':
                return "[a-z]+";
        }

        if (DateTimePicture.IsName(marker.Presentation))
        {
            return "[a-z]+";
        }

        var picture = DateTimePicture.IntegerFormat(marker);
        var ordinal = picture.Ordinal ? "(?:st|nd|rd|th)" : string.Empty;
        return picture.Style switch
        {
            IntegerStyle.RomanLower or IntegerStyle.RomanUpper => "[mdclxvi]+",
            IntegerStyle.LettersLower or IntegerStyle.LettersUpper => "[a-z]+",
            IntegerStyle.WordsLower or IntegerStyle.WordsUpper or IntegerStyle.WordsTitle => "[a-z][a-z, -]*?",
            _ when marker.MaxWidth is { } max => $"[0-9]{{{marker.MinWidth ?? 1},{max}}}{ordinal}",
            _ when adjacent || (picture.MandatoryDigits > 1 && picture.TotalDigits == picture.MandatoryDigits && picture.Separators.Count == 0 && adjacent) => $"[0-9]{{{picture.MandatoryDigits}}}{ordinal}",
            _ => $"[0-9]+{ordinal}",
        };
    }
}
