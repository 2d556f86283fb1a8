using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ingestion.States.Json;

/// <summary>
/// System.Text.Json's error messages in words a person who wrote the file can act on: without the reader's
/// coordinates appended (<c>LineNumber: 0 | BytePositionInLine: 12.</c>, counted from 0), its token type names
/// (<c>StartObject</c>) or its parameters (<c>isFinalBlock</c>). The position is said once, by the caller, counted
/// from 1.
/// </summary>
public static partial class JsonErrorText
{
    private static readonly (string Token, string Words)[] Tokens =
    [
        ("StartObject", "'{'"), ("EndObject", "'}'"), ("StartArray", "'['"), ("EndArray", "']'"),
        ("PropertyName", "a property name"), ("Comment", "a comment"), ("String", "a string"), ("Number", "a number"),
        ("True", "true"), ("False", "false"), ("Null", "null"), ("None", "nothing"),
    ];

    /// <summary>What is wrong, e.g. <c>'}' is invalid after a property name; expected a ':'</c>, with no position.</summary>
    public static string Problem(JsonException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var text = Coordinates().Replace(error.Message, string.Empty).Trim();
        if (text.StartsWith("The input does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return "there is no JSON value here (nothing but white space); the input does not contain any JSON tokens";
        }

        if (text.StartsWith("Expected depth to be zero", StringComparison.Ordinal))
        {
            return "the text ends inside an object or array that is not closed";
        }

        if (MaxDepth().Match(text) is { Success: true } depth)
        {
            return $"the values are nested deeper than the maximum depth of {depth.Groups[1].Value}";
        }

        foreach (var (token, words) in Tokens)
        {
            text = text.Replace($"'{token}'", words, StringComparison.Ordinal).Replace($"token {token} ", $"token {words} ", StringComparison.Ordinal);
        }

        text = text.Replace("JSON payload", "JSON text", StringComparison.Ordinal)
            .Replace(" Expected ", "; expected ", StringComparison.Ordinal)
            .Replace(". The ", "; the ", StringComparison.Ordinal);
        return text.TrimEnd('.');
    }

    /// <summary><c>line 3, column 14</c>: the error's position, counted from 1 (the reader counts from 0).</summary>
    /// <param name="lineOffset">Lines before the text the reader was given (for a reader started part-way).</param>
    /// <param name="columnOffset">Bytes before the text on its first line (a line trimmed of leading spaces).</param>
    public static string Position(JsonException error, long lineOffset = 0, long columnOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(error);
        var line = error.LineNumber ?? 0;
        return $"line {lineOffset + line + 1}, column {(line == 0 ? columnOffset : 0) + (error.BytePositionInLine ?? 0) + 1}";
    }

    /// <summary><c>line 3, column 14: '}' is invalid after a property name; expected a ':'</c>.</summary>
    public static string Describe(JsonException error) => $"{Position(error)}: {Problem(error)}";

    [GeneratedRegex(@"\s*(Path: \S* \| )?LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex Coordinates();

    [GeneratedRegex(@"^The maximum configured depth of (\d+) has been exceeded")]
    private static partial Regex MaxDepth();
}
