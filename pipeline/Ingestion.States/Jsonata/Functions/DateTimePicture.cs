using System.Text;
using Ingestion.States.Jsonata.Evaluation;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>One variable marker of a date/time picture, such as <c>[D1o]</c> or <c>[MNn,3-3]</c>.</summary>
internal sealed record DateTimeMarker(char Component, string Presentation, char? Modifier, int? MinWidth, int? MaxWidth, bool DefaultedPresentation);

/// <summary>
/// An XPath format-dateTime picture (F&amp;O 3.1 §9.8.4): literal text, with '[[' and ']]' for brackets,
/// and markers naming a component, its presentation and an optional width.
/// </summary>
internal sealed class DateTimePicture
{
    private const string Components = "YMDdFWwXxHhPmsfZzCE";

    private DateTimePicture(List<object> parts) => Parts = parts;

    /// <summary>Literal strings and <see cref="DateTimeMarker"/>s in order.</summary>
    public List<object> Parts { get; }

    public static DateTimePicture Parse(string picture)
    {
        var parts = new List<object>();
        var literal = new StringBuilder();
        var markers = new List<(int Index, string Text)>();
        for (var i = 0; i < picture.Length; i++)
        {
            var c = picture[i];
            if (c == '[' && i + 1 < picture.Length && picture[i + 1] == '[')
            {
                literal.Append('[');
                i++;
            }
            else if (c == ']' && i + 1 < picture.Length && picture[i + 1] == ']')
            {
                literal.Append(']');
                i++;
            }
            else if (c == '[')
            {
                var end = picture.IndexOf(']', i + 1);
                if (end < 0)
                {
                    throw JsonataErrors.Create("D3135", "No matching closing bracket ']' in date/time picture string");
                }

                if (literal.Length > 0)
                {
                    parts.Add(literal.ToString());
                    literal.Clear();
                }

                // Markers are read once the whole picture is known to be well formed: an unclosed bracket is reported first.
                markers.Add((parts.Count, picture[(i + 1)..end]));
                parts.Add(string.Empty);
                i = end;
            }
            else
            {
                literal.Append(c);
            }
        }

        if (literal.Length > 0)
        {
            parts.Add(literal.ToString());
        }

        foreach (var (index, text) in markers)
        {
            parts[index] = ParseMarker(text);
        }

        return new DateTimePicture(parts);
    }

    private static DateTimeMarker ParseMarker(string text)
    {
        var body = new string(text.Where(c => !char.IsWhiteSpace(c)).ToArray());
        var component = body.Length > 0 ? body[0] : ' ';
        if (!Components.Contains(component, StringComparison.Ordinal))
        {
            throw JsonataErrors.Create("D3132", $"Unknown component specifier {component} in date/time picture string");
        }

        var rest = body[1..];
        int? min = null, max = null;
        var comma = rest.LastIndexOf(',');
        if (comma >= 0)
        {
            var width = rest[(comma + 1)..];
            rest = rest[..comma];
            var dash = width.IndexOf('-', StringComparison.Ordinal);
            var minText = dash >= 0 ? width[..dash] : width;
            var maxText = dash >= 0 ? width[(dash + 1)..] : null;
            min = int.TryParse(minText, out var mn) ? mn : null;
            max = maxText is not null && int.TryParse(maxText, out var mx) ? mx : null;
        }

        char? modifier = null;
        if (rest.Length > 1 && rest[^1] is 'o' or 'c' or 't' && !(rest.Length == 2 && rest == "Nn"))
        {
            modifier = rest[^1];
            rest = rest[..^1];
        }

        var defaulted = rest.Length == 0;
        if (defaulted)
        {
            rest = component switch
            {
                'F' or 'P' or 'C' or 'E' => "n",
                'm' or 's' => "01",
                'Z' or 'z' => "01:01",
                _ => "1",
            };
        }

        if (component == 'Y' && rest is "N" or "n" or "Nn")
        {
            throw JsonataErrors.Create("D3133", "The 'name' modifier (N) is not supported for the year component");
        }

        return new DateTimeMarker(component, rest, modifier, min, max, defaulted);
    }

    public static bool IsName(string presentation) => presentation is "N" or "n" or "Nn";

    /// <summary>The integer picture a numeric marker uses, widened to its minimum width.</summary>
    public static IntegerPicture IntegerFormat(DateTimeMarker marker)
    {
        var picture = IntegerPicture.Parse(marker.Modifier == 'o' ? marker.Presentation + ";o" : marker.Presentation);
        if (marker.MinWidth is { } min && picture.Style == IntegerStyle.Decimal && picture.MandatoryDigits < min)
        {
            picture.MandatoryDigits = min;
        }

        return picture;
    }
}
