using System.Text;

namespace Ingestion.States.Paths;

/// <summary>
/// A path spelled as Jayway (AWS's JSONPath engine) spells it in its errors: <c>$.a.b[0]</c> is <c>$['a']['b'][0]</c>.
/// </summary>
internal static class NormalizedPath
{
    public static string Of(JsonPath path)
    {
        var text = new StringBuilder("$");
        foreach (var segment in path.Segments)
        {
            _ = segment switch
            {
                PathSegment.Child child => text.Append("['").Append(child.Name).Append("']"),
                PathSegment.Index index => text.Append('[').Append(index.Value).Append(']'),
                // Only reference paths are reported this way; anything else keeps the text it was written with.
                _ => text.Clear().Append(path.Text),
            };
            if (segment is not (PathSegment.Child or PathSegment.Index))
            {
                break;
            }
        }

        return text.ToString();
    }
}
