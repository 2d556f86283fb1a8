using System.Diagnostics.CodeAnalysis;
using Ingestion.States.Json;

namespace Ingestion.States.Paths;

/// <summary>A parsed JSONPath (<c>$…</c> on the payload, <c>$$…</c> on the context object, <c>$name…</c> on a workflow variable).</summary>
internal sealed class JsonPath
{
    internal JsonPath(string text, bool isContext, PathSegment[] segments, string? variable = null)
    {
        Text = text;
        IsContext = isContext;
        Variable = variable;
        Segments = segments;
        IsSingleNode = Array.TrueForAll(segments, s => s.IsSingleNode);
        IsRoot = segments.Length == 0;
        MapItem = isContext && segments is [PathSegment.Child { Name: "Map" }, PathSegment.Child { Name: "Item" }, PathSegment.Child { Name: var part }]
            ? part switch { "Index" => MapItemPart.Index, "Value" => MapItemPart.Value, _ => MapItemPart.None }
            : MapItemPart.None;
    }

    /// <summary>Which part of the current Map item the path is exactly (<c>$$.Map.Item.Index</c>/<c>.Value</c>), if any.</summary>
    internal MapItemPart MapItem { get; }

    public string Text { get; }

    /// <summary>True for <c>$$</c> paths, which read the context object.</summary>
    public bool IsContext { get; }

    /// <summary>The workflow variable a <c>$name…</c> path reads, or null for a path on the input or the context.</summary>
    public string? Variable { get; }

    public IReadOnlyList<PathSegment> Segments { get; }

    /// <summary>True when the path can only identify one node: a reference path.</summary>
    public bool IsSingleNode { get; }

    /// <summary>True for <c>$</c> (or <c>$$</c>, or <c>$name</c>) alone.</summary>
    public bool IsRoot { get; }

    internal PathSegment[] SegmentArray => (PathSegment[])Segments;

    public static bool TryParse(string text, [NotNullWhen(true)] out JsonPath? path, [NotNullWhen(false)] out string? error) =>
        PathParser.TryParse(text, out path, out error);

    public static JsonPath Parse(string text) =>
        TryParse(text, out var path, out var error) ? path : throw new FormatException(error);

    /// <summary>
    /// Reference paths (InputPath, ResultPath, OutputPath, Choice Variable, …Path fields) may only
    /// name one node: no wildcards, slices, unions, filters or descent.
    /// </summary>
    public static bool TryParseReference(string text, [NotNullWhen(true)] out JsonPath? path, [NotNullWhen(false)] out string? error)
    {
        if (!TryParse(text, out path, out error))
        {
            return false;
        }

        if (!path.IsSingleNode)
        {
            error = $"'{text}' is not a reference path: only member names and indexes are allowed, no '*', '..', slices, unions or filters.";
            path = null;
            return false;
        }

        return true;
    }

    /// <summary>The single node a reference path names, or false when it is absent.</summary>
    public bool TrySelectSingle(JValue root, [NotNullWhen(true)] out JValue? value) =>
        PathEvaluator.TrySelectSingle(root, SegmentArray, out value);

    /// <summary>
    /// What a <c>.$</c> field receives: the node for a single-node path (false when absent), the
    /// array of matches (possibly empty) for any other path, as Jayway returns them.
    /// </summary>
    public bool TryEvaluate(JValue root, [NotNullWhen(true)] out JValue? value)
    {
        if (IsSingleNode)
        {
            return TrySelectSingle(root, out value);
        }

        var matches = new List<JValue>();
        PathEvaluator.SelectAll(root, root, SegmentArray, 0, matches);
        value = matches.Count == 0 ? JArray.Empty : new JArray([.. matches]);
        return true;
    }

    public override string ToString() => Text;
}

/// <summary>The parts of <c>$$.Map.Item</c> a path can name directly, without building the context object.</summary>
internal enum MapItemPart
{
    None,
    Index,
    Value,
}
