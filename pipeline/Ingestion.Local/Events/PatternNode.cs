using Ingestion.States.Json;

namespace Ingestion.Local.Events;

/// <summary>An object level of a pattern: named fields (all must match) and <c>$or</c> alternatives.</summary>
internal sealed record PatternNode(
    IReadOnlyList<PatternField> Fields,
    IReadOnlyList<IReadOnlyList<PatternNode>> OrGroups)
{
    public bool Matches(JValue value)
    {
        foreach (var field in Fields)
        {
            if (!field.Matches(value))
            {
                return false;
            }
        }

        foreach (var alternatives in OrGroups)
        {
            if (!alternatives.Any(alternative => alternative.Matches(value)))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>One named field: either a nested object pattern or a list of leaf matchers.</summary>
internal sealed record PatternField(string Name, PatternNode? Nested, IReadOnlyList<Matcher> Matchers)
{
    public bool Matches(JValue container)
    {
        var value = (container as JObject)?.Get(Name);
        if (Nested is not null)
        {
            return value is not null && Nested.Matches(value);
        }

        foreach (var matcher in Matchers)
        {
            if (matcher is Matcher.Exists exists)
            {
                // A field holding an object is not a leaf: "exists" looks at leaves only.
                var leafPresent = value is not null and not JObject;
                if (exists.ShouldExist == leafPresent)
                {
                    return true;
                }

                continue;
            }

            if (value is null)
            {
                continue;
            }

            if (value is JArray array)
            {
                foreach (var element in array)
                {
                    if (matcher.Matches(element))
                    {
                        return true;
                    }
                }
            }
            else if (matcher.Matches(value))
            {
                return true;
            }
        }

        return false;
    }
}
