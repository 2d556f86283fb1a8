using System.Globalization;
using System.Text;
using Ingestion.States.Jsonata.Evaluation;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>Formats an instant with a <see cref="DateTimePicture"/>, in a fixed UTC offset.</summary>
internal static class DateTimeFormatter
{
    public static readonly string[] Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static readonly string[] Days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    public static string Format(DateTimeOffset instant, DateTimePicture picture, TimeSpan offset)
    {
        var local = instant.ToOffset(offset);
        var sb = new StringBuilder();
        foreach (var part in picture.Parts)
        {
            sb.Append(part is string literal ? literal : FormatMarker(local, (DateTimeMarker)part, offset));
        }

        return sb.ToString();
    }

    private static string FormatMarker(DateTimeOffset t, DateTimeMarker marker, TimeSpan offset)
    {
        switch (marker.Component)
        {
            case 'Y':
                return FormatYear(t.Year, marker);
            case 'M':
                return Named(t.Month, Months, marker);
            case 'D':
                return Number(t.Day, marker);
            case 'd':
                return Number(t.DayOfYear, marker);
            case 'F':
                return Named(IsoDay(t), Days, marker);
            case 'W':
                return Number(ISOWeek.GetWeekOfYear(t.DateTime), marker);
            case 'X':
                return Number(ISOWeek.GetYear(t.DateTime), marker);
            case 'w':
                return Number(WeekOfMonth(t).Week, marker);
            case 'x':
                return Named(WeekOfMonth(t).Month, Months, marker);
            case 'H':
                return Number(t.Hour, marker);
            case 'h':
                return Number(t.Hour % 12 == 0 ? 12 : t.Hour % 12, marker);
            case 'P':
                return Cased(t.Hour < 12 ? "am" : "pm", marker);
            case 'm':
                return Number(t.Minute, marker);
            case 's':
                return Number(t.Second, marker);
            case 'f':
                return Fraction(t.Millisecond, marker);
            case 'Z':
                return TimeZone(offset, marker, gmt: false);
            case 'z':
                return TimeZone(offset, marker, gmt: true);
            default:
                // Calendar and era: only the ISO calendar is supported.
                return "ISO";
        }
    }

    private static int IsoDay(DateTimeOffset t) => t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek;

    /// <summary>Week of month: weeks start on Monday and belong to the month holding their Thursday.</summary>
    public static (int Week, int Month) WeekOfMonth(DateTimeOffset t)
    {
        var monday = t.Date.AddDays(1 - IsoDay(t));
        var thursday = monday.AddDays(3);
        return (((thursday.Day - 1) / 7) + 1, thursday.Month);
    }

    private static string FormatYear(int year, DateTimeMarker marker)
    {
        var picture = DateTimePicture.IntegerFormat(marker);
        var digits = -1;
        if (marker.MaxWidth is { } max)
        {
            digits = max;
        }
        else if (marker.DefaultedPresentation && marker.MinWidth is { } min)
        {
            digits = min;
        }
        else if (picture.Style == IntegerStyle.Decimal && picture.TotalDigits >= 2)
        {
            digits = picture.TotalDigits;
        }

        var value = digits > 0 ? year % (int)Math.Pow(10, digits) : year;
        if (marker.MaxWidth is { } maxWidth && picture.MandatoryDigits > maxWidth)
        {
            picture.MandatoryDigits = maxWidth;
        }

        return picture.Format(value);
    }

    private static string Number(int value, DateTimeMarker marker)
    {
        if (DateTimePicture.IsName(marker.Presentation))
        {
            throw JsonataErrors.Create("D3133", $"The 'name' modifier is not supported for the {marker.Component} component");
        }

        return DateTimePicture.IntegerFormat(marker).Format(value);
    }

    private static string Named(int value, string[] names, DateTimeMarker marker)
    {
        if (!DateTimePicture.IsName(marker.Presentation))
        {
            return Number(value, marker);
        }

        var name = names[value - 1];
        if (marker.MaxWidth is { } max && name.Length > max)
        {
            name = name[..max];
        }

        return Cased(name, marker);
    }

    private static string Cased(string text, DateTimeMarker marker) => marker.Presentation switch
    {
        "N" => text.ToUpperInvariant(),
        "Nn" => char.ToUpperInvariant(text[0]) + text[1..].ToLowerInvariant(),
        _ => text.ToLowerInvariant(),
    };

    private static string Fraction(int milliseconds, DateTimeMarker marker)
    {
        var picture = DateTimePicture.IntegerFormat(marker);
        var width = Math.Max(picture.TotalDigits, 1);
        var digits = milliseconds.ToString("000", CultureInfo.InvariantCulture);
        return width <= 3 ? digits[..width] : digits.PadRight(width, '0');
    }

    private static string TimeZone(TimeSpan offset, DateTimeMarker marker, bool gmt)
    {
        if (marker.Modifier == 't' && offset == TimeSpan.Zero)
        {
            return "Z";
        }

        var presentation = marker.Presentation;
        var digitCount = presentation.Count(char.IsDigit);
        if (digitCount > 4)
        {
            throw JsonataErrors.Create("D3134", $"The timezone integer format specifier cannot have more than four digits");
        }

        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var hours = Math.Abs(offset.Hours);
        var minutes = Math.Abs(offset.Minutes);
        var separatorIndex = presentation.IndexOf(presentation.FirstOrDefault(c => !char.IsDigit(c)));
        string text;
        if (separatorIndex > 0)
        {
            var hourWidth = separatorIndex;
            text = hours.ToString(CultureInfo.InvariantCulture).PadLeft(hourWidth, '0') + presentation[separatorIndex] + minutes.ToString("00", CultureInfo.InvariantCulture);
        }
        else if (digitCount >= 3)
        {
            text = hours.ToString(CultureInfo.InvariantCulture).PadLeft(digitCount - 2, '0') + minutes.ToString("00", CultureInfo.InvariantCulture);
        }
        else
        {
            text = hours.ToString(CultureInfo.InvariantCulture).PadLeft(digitCount, '0');
            if (minutes != 0)
            {
                text += ":" + minutes.ToString("00", CultureInfo.InvariantCulture);
            }
        }

        return (gmt ? "GMT" : string.Empty) + sign + text;
    }
}
