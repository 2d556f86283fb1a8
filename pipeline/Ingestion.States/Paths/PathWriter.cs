using Ingestion.States.Errors;
using Ingestion.States.Json;

namespace Ingestion.States.Paths;

/// <summary>Places a value at a ResultPath, copying only the objects along the path.</summary>
internal static class PathWriter
{
    public static JValue Set(JValue root, JsonPath path, JValue value)
    {
        if (path.IsRoot)
        {
            return value;
        }

        return SetAt(root, path, path.SegmentArray, 0, value);
    }

    private static JValue SetAt(JValue current, JsonPath path, PathSegment[] segments, int index, JValue value)
    {
        var last = index == segments.Length - 1;
        switch (segments[index])
        {
            case PathSegment.Child child:
                if (current is not JObject obj)
                {
                    throw Mismatch(path, current);
                }

                JValue newChild;
                if (last)
                {
                    newChild = value;
                }
                else
                {
                    // Missing intermediate objects are created, as AWS does for "$.a.b" on {}.
                    var existing = obj.Get(child.Name) ?? JObject.Empty;
                    newChild = SetAt(existing, path, segments, index + 1, value);
                }

                return obj.With(child.Name, newChild);
            case PathSegment.Index idx:
                if (current is not JArray array)
                {
                    throw Mismatch(path, current);
                }

                var i = idx.Value < 0 ? array.Count + idx.Value : idx.Value;
                if (i < 0 || i >= array.Count)
                {
                    throw Mismatch(path, current);
                }

                var items = array.AsSpan().ToArray();
                items[i] = last ? value : SetAt(items[i], path, segments, index + 1, value);
                return new JArray(items);
            default:
                throw Mismatch(path, current);
        }
    }

    private static StatesException Mismatch(JsonPath path, JValue current) =>
        new(StatesErrors.ResultPathMatchFailure,
            $"Unable to apply ResultPath '{path.Text}' to input '{Truncate(current.ToJsonString())}'.");

    private static string Truncate(string text) => text.Length <= 256 ? text : string.Concat(text.AsSpan(0, 256), "…");
}
