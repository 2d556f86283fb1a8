using System.Net;
using Ingestion.States.Json;

namespace Ingestion.Local.Events;

/// <summary>The closed set of leaf matchers of an event pattern.</summary>
internal abstract record Matcher
{
    private Matcher()
    {
    }

    /// <summary>True when this matcher accepts one leaf value of the event.</summary>
    public abstract bool Matches(JValue value);

    /// <summary>A literal: strings by ordinal equality, numbers by value, booleans and null by kind.</summary>
    public sealed record Exact(JValue Literal) : Matcher
    {
        public override bool Matches(JValue value) => (Literal, value) switch
        {
            (JString literal, JString text) => literal.Value == text.Value,
            (JNumber literal, JNumber number) => literal.Value == number.Value,
            (JBool literal, JBool flag) => literal.Value == flag.Value,
            (JNull, JNull) => true,
            _ => false,
        };
    }

    public sealed record Prefix(string Text, bool IgnoreCase) : Matcher
    {
        public override bool Matches(JValue value) =>
            value is JString { Value: var text } && text.StartsWith(Text, Comparison(IgnoreCase));
    }

    public sealed record Suffix(string Text, bool IgnoreCase) : Matcher
    {
        public override bool Matches(JValue value) =>
            value is JString { Value: var text } && text.EndsWith(Text, Comparison(IgnoreCase));
    }

    public sealed record EqualsIgnoreCase(string Text) : Matcher
    {
        public override bool Matches(JValue value) =>
            value is JString { Value: var text } && string.Equals(text, Text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>*</c> matches any run of characters; <c>\*</c> and <c>\\</c> are a literal star and backslash.</summary>
    public sealed record Wildcard(string Pattern) : Matcher
    {
        public override bool Matches(JValue value) =>
            value is JString { Value: var text } && Ingestion.States.Wildcard.Matches(Pattern, text);
    }

    /// <summary>Matches any present value that none of the inner matchers accepts.</summary>
    public sealed record AnythingBut(IReadOnlyList<Matcher> Excluded) : Matcher
    {
        public override bool Matches(JValue value) => !Excluded.Any(excluded => excluded.Matches(value));
    }

    /// <summary>Every comparison must hold, e.g. <c>[">", 0, "&lt;=", 5]</c>.</summary>
    public sealed record Numeric(IReadOnlyList<(string Operator, double Operand)> Comparisons) : Matcher
    {
        public override bool Matches(JValue value)
        {
            if (value is not JNumber { Value: var number })
            {
                return false;
            }

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
        public override bool Matches(JValue value) => ShouldExist;
    }

    /// <summary>An IPv4 address inside a CIDR block.</summary>
    public sealed record Cidr(uint Network, uint Mask) : Matcher
    {
        public override bool Matches(JValue value) =>
            value is JString { Value: var text }
            && IPAddress.TryParse(text, out var address)
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
