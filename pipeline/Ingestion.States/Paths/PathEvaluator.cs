using System.Diagnostics.CodeAnalysis;
using Ingestion.States.Json;

namespace Ingestion.States.Paths;

/// <summary>Applies path segments to immutable JSON values.</summary>
internal static class PathEvaluator
{
    /// <summary>The fast path for reference paths: no lists, no allocation.</summary>
    public static bool TrySelectSingle(JValue root, PathSegment[] segments, [NotNullWhen(true)] out JValue? value)
    {
        var current = root;
        foreach (var segment in segments)
        {
            switch (segment)
            {
                case PathSegment.Child child when current is JObject obj && obj.TryGetValue(child.Name, out var member):
                    current = member;
                    break;
                case PathSegment.Index index when current is JArray array && Resolve(index.Value, array.Count) is var i && i >= 0 && i < array.Count:
                    current = array[i];
                    break;
                case PathSegment.Child or PathSegment.Index:
                    value = null;
                    return false;
                default:
                    var matches = new List<JValue>();
                    SelectAll(root, current, segments, Array.IndexOf(segments, segment), matches);
                    value = new JArray([.. matches]);
                    return true;
            }
        }

        value = current;
        return true;
    }

    public static void SelectAll(JValue root, JValue current, PathSegment[] segments, int index, List<JValue> matches)
    {
        if (index == segments.Length)
        {
            matches.Add(current);
            return;
        }

        var next = index + 1;
        switch (segments[index])
        {
            case PathSegment.Child child:
                if (current is JObject obj && obj.TryGetValue(child.Name, out var member))
                {
                    SelectAll(root, member, segments, next, matches);
                }

                break;
            case PathSegment.Index idx:
                if (current is JArray array && Resolve(idx.Value, array.Count) is var i && i >= 0 && i < array.Count)
                {
                    SelectAll(root, array[i], segments, next, matches);
                }

                break;
            case PathSegment.Slice slice:
                if (current is JArray sliced)
                {
                    foreach (var i2 in SliceIndexes(slice, sliced.Count))
                    {
                        SelectAll(root, sliced[i2], segments, next, matches);
                    }
                }

                break;
            case PathSegment.Wildcard:
                foreach (var child in Children(current))
                {
                    SelectAll(root, child, segments, next, matches);
                }

                break;
            case PathSegment.Union union:
                foreach (var part in union.Parts)
                {
                    var single = new PathSegment[segments.Length - index];
                    single[0] = part;
                    Array.Copy(segments, next, single, 1, segments.Length - next);
                    SelectAll(root, current, single, 0, matches);
                }

                break;
            case PathSegment.Descendants descendants:
                var rest = new PathSegment[segments.Length - index];
                rest[0] = descendants.Selector;
                Array.Copy(segments, next, rest, 1, segments.Length - next);
                Descend(root, current, rest, matches);
                break;
            case PathSegment.Filter filter:
                if (current is JArray candidates)
                {
                    foreach (var candidate in candidates)
                    {
                        if (filter.Expression.Matches(candidate, root))
                        {
                            SelectAll(root, candidate, segments, next, matches);
                        }
                    }
                }
                else if (current is JObject && filter.Expression.Matches(current, root))
                {
                    // Jayway applies a filter on an object to the object itself.
                    SelectAll(root, current, segments, next, matches);
                }

                break;
        }
    }

    private static void Descend(JValue root, JValue current, PathSegment[] rest, List<JValue> matches)
    {
        SelectAll(root, current, rest, 0, matches);
        foreach (var child in Children(current))
        {
            if (child is JObject or JArray)
            {
                Descend(root, child, rest, matches);
            }
        }
    }

    private static IEnumerable<JValue> Children(JValue value) => value switch
    {
        JObject obj => obj.Select(p => p.Value),
        JArray array => array,
        _ => [],
    };

    private static int Resolve(int index, int count) => index < 0 ? count + index : index;

    private static IEnumerable<int> SliceIndexes(PathSegment.Slice slice, int count)
    {
        var step = slice.Step ?? 1;
        if (step > 0)
        {
            var start = Clamp(slice.Start ?? 0, count);
            var end = Clamp(slice.End ?? count, count);
            for (var i = start; i < end; i += step)
            {
                yield return i;
            }
        }
        else
        {
            var start = slice.Start is { } s ? Math.Min(s < 0 ? count + s : s, count - 1) : count - 1;
            var end = slice.End is { } e ? (e < 0 ? count + e : e) : -1;
            for (var i = start; i > end && i >= 0; i += step)
            {
                yield return i;
            }
        }
    }

    private static int Clamp(int index, int count)
    {
        if (index < 0)
        {
            index += count;
        }

        return Math.Clamp(index, 0, count);
    }
}
