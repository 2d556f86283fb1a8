using Ingestion.States.Json;

namespace Ingestion.Local.Events;

/// <summary>
/// An Amazon EventBridge event pattern, parsed once and matched against events.
/// </summary>
/// <remarks>
/// Semantics follow EventBridge content filtering: every field named in the pattern must match
/// (AND), any matcher in a field's array may match (OR), <c>$or</c> chooses between sub-patterns,
/// and an array value in the event matches when any of its elements does. Supported matchers:
/// exact values (string, number, boolean, null), <c>prefix</c>, <c>suffix</c> (both also with
/// <c>equals-ignore-case</c>), <c>equals-ignore-case</c>, <c>wildcard</c>, <c>anything-but</c>
/// (values, lists, prefix, suffix, equals-ignore-case, wildcard), <c>numeric</c>, <c>exists</c>
/// and <c>cidr</c> (IPv4).
/// </remarks>
public sealed class EventPattern
{
    private readonly PatternNode _root;

    private EventPattern(PatternNode root) => _root = root;

    /// <summary>Parses a pattern; a malformed one throws <see cref="EventPatternException"/> naming where.</summary>
    public static EventPattern Parse(string json)
    {
        if (!JParser.TryParse(json, out var pattern, out var error))
        {
            throw new EventPatternException("$", $"not JSON: {error}");
        }

        return pattern is JObject root
            ? new EventPattern(EventPatternParser.ParseObject(root, "$"))
            : throw new EventPatternException("$", "a pattern must be a JSON object");
    }

    /// <summary>True when the event (a JSON object) matches the pattern.</summary>
    public bool Matches(JValue eventJson) => _root.Matches(eventJson);

    /// <summary>Convenience overload for an event given as JSON text.</summary>
    public bool Matches(string eventJson) => Matches(JValue.Parse(eventJson));
}

/// <summary>A pattern that cannot be used, with the JSON path of the offending part.</summary>
public sealed class EventPatternException(string path, string problem)
    : Exception($"Event pattern at {path}: {problem}")
{
    public string PatternPath { get; } = path;
}
