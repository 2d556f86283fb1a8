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

        return SetAt(root, root, path, path.SegmentArray, 0, value);
    }

    private static JValue SetAt(JValue root, JValue current, JsonPath path, PathSegment[] segments, int index, JValue value)
    {
        var last = index == segments.Length - 1;
        switch (segments[index])
        {
            case PathSegment.Child child:
                if (current is not JObject obj)
                {
                    throw Mismatch(path, root);
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
                    newChild = SetAt(root, existing, path, segments, index + 1, value);
                }

                return obj.With(child.Name, newChild);
            case PathSegment.Index idx:
                if (current is not JArray array)
                {
                    throw Mismatch(path, root);
                }

                var i = idx.Value < 0 ? array.Count + idx.Value : idx.Value;
                if (i < 0 || i >= array.Count)
                {
                    throw Mismatch(path, root);
                }

                var items = array.AsSpan().ToArray();
                items[i] = last ? value : SetAt(root, items[i], path, segments, index + 1, value);
                return new JArray(items);
            default:
                throw Mismatch(path, root);
        }
    }

    /// <summary>
    /// AWS's words (quoted from a real execution in aws/aws-cdk#29473): the path and the whole state input, as JSON.
    /// </summary>
    private static StatesException Mismatch(JsonPath path, JValue input) =>
        new(StatesErrors.ResultPathMatchFailure, $"Unable to apply ReferencePath {path.Text} to input {input.ToJsonString()}");
}
