using System.Net;
using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;

namespace Ingestion.Local.Events;

/// <summary>The closed set of leaf matchers of an event pattern.</summary>
internal abstract record Matcher
{
    private Matcher()
    {
    }

    /// <summary>True when this matcher accepts one leaf value of the event.</summary>
    public abstract bool Matches(JsonElement value);

    /// <summary>A literal: strings by ordinal equality, numbers by value, booleans and null by kind.</summary>
    public sealed record Exact(JsonElement Literal) : Matcher
    {
        public override bool Matches(JsonElement value) => Literal.ValueKind switch
        {
            JsonValueKind.String => value.ValueKind == JsonValueKind.String && value.GetString() == Literal.GetString(),
            JsonValueKind.Number => value.ValueKind == JsonValueKind.Number && value.GetDouble() == Literal.GetDouble(),
            _ => value.ValueKind == Literal.ValueKind,
        };
    }

    public sealed record Prefix(string Text, bool IgnoreCase) : Matcher
    {
        public override bool Matches(JsonElement value) =>
            value.ValueKind == JsonValueKind.String && value.GetString()!.StartsWith(Text, Comparison(IgnoreCase));
    }

    public sealed record Suffix(string Text, bool IgnoreCase) : Matcher
    {
        public override bool Matches(JsonElement value) =>
            value.ValueKind == JsonValueKind.String && value.GetString()!.EndsWith(Text, Comparison(IgnoreCase));
    }

    public sealed record EqualsIgnoreCase(string Text) : Matcher
    {
        public override bool Matches(JsonElement value) =>
            value.ValueKind == JsonValueKind.String && string.Equals(value.GetString(), Text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>*</c> matches any run of characters; <c>\*</c> and <c>\\</c> are a literal star and backslash.</summary>
    public sealed record Wildcard(string Pattern) : Matcher
    {
        public override bool Matches(JsonElement value) =>
            value.ValueKind == JsonValueKind.String && WildcardText.Matches(Pattern, value.GetString()!);
    }

    /// <summary>Matches any present value that none of the inner matchers accepts.</summary>
    public sealed record AnythingBut(IReadOnlyList<Matcher> Excluded) : Matcher
    {
        public override bool Matches(JsonElement value) => !Excluded.Any(excluded => excluded.Matches(value));
    }

    /// <summary>Every comparison must hold, e.g. <c>[">", 0, "&lt;=", 5]</c>.</summary>
    public sealed record Numeric(IReadOnlyList<(string Operator, double Operand)> Comparisons) : Matcher
    {
        public override bool Matches(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Number)
            {
                return false;
            }

            var number = value.GetDouble();
            return Comparisons.All(c => c.Operator switch
            {
                "=" => number == c.Operand,
                "<" => number < c.Operand,
                "<=" => number <= c.Operand,
                ">" => number > c.Operand,
                ">=" => number >= c.Operand,
                _ => false,
            });
        }
    }

    /// <summary>Evaluated by the field itself, which knows whether the leaf is there.</summary>
    public sealed record Exists(bool ShouldExist) : Matcher
    {
        public override bool Matches(JsonElement value) => ShouldExist;
    }

    /// <summary>An IPv4 address inside a CIDR block.</summary>
    public sealed record Cidr(uint Network, uint Mask) : Matcher
    {
        public override bool Matches(JsonElement value) =>
            value.ValueKind == JsonValueKind.String
            && IPAddress.TryParse(value.GetString(), out var address)
            && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && (ToUInt32(address) & Mask) == Network;

        internal static uint ToUInt32(IPAddress address)
        {
            var bytes = address.GetAddressBytes();
            return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        }
    }

    private static StringComparison Comparison(bool ignoreCase) =>
        ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
}
