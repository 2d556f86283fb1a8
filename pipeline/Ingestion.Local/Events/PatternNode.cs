using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;

namespace Ingestion.Local.Events;

/// <summary>An object level of a pattern: named fields (all must match) and <c>$or</c> alternatives.</summary>
internal sealed record PatternNode(
    IReadOnlyList<PatternField> Fields,
    IReadOnlyList<IReadOnlyList<PatternNode>> OrGroups)
{
    public bool Matches(JsonElement value)
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
    public bool Matches(JsonElement container)
    {
        var value = default(JsonElement);
        var present = container.ValueKind == JsonValueKind.Object && container.TryGetProperty(Name, out value);
        if (Nested is not null)
        {
            return present && Nested.Matches(value);
        }

        foreach (var matcher in Matchers)
        {
            if (matcher is Matcher.Exists exists)
            {
                // A field holding an object is not a leaf: "exists" looks at leaves only.
                var leafPresent = present && value.ValueKind != JsonValueKind.Object;
                if (exists.ShouldExist == leafPresent)
                {
                    return true;
                }

                continue;
            }

            if (!present)
            {
                continue;
            }

            if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in value.EnumerateArray())
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
