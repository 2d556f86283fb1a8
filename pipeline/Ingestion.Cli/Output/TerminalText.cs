using System.Globalization;
using System.Text;

namespace Ingestion.Cli.Output;

/// <summary>
/// Text that came from data (a student's fields, a file's name, a reason, a message, an error quoting input) made safe
/// to print: the one place where what a terminal would act on is made visible instead.
/// </summary>
/// <remarks>
/// Every control character (C0 and DEL: <c>ESC]0;…BEL</c> retitles the window, <c>ESC[2J</c> clears the screen, a
/// carriage return or a line break forges a line; C1, which some terminals take as ESC sequences) and every
/// bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069: they reorder what follows on the line)
/// is shown as <c>\uXXXX</c>. JSON output needs none of this: its writer escapes control characters already.
/// </remarks>
internal static class TerminalText
{
    // C0 and DEL, C1, the bidirectional embeddings and overrides, the isolates: what IsHidden says, for a fast first look.
    private static readonly System.Buffers.SearchValues<char> Hidden = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(i => (char)i), .. Enumerable.Range(0x7F, 0x21).Select(i => (char)i), .. "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069"]);

    /// <summary><paramref name="text"/> with every character a terminal would act on shown as <c>\uXXXX</c>.</summary>
    public static string Visible(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var first = text.AsSpan().IndexOfAny(Hidden);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16).Append(text, 0, first);
        foreach (var c in text.AsSpan(first))
        {
            _ = IsHidden(c) ? builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}") : builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Text of many lines (a CSV) made <see cref="Visible"/> line by line: its line breaks kept, all else shown.</summary>
    public static string VisibleLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Join('\n', text.Split('\n').Select(line => Visible(line.EndsWith('\r') ? line[..^1] : line)));
    }

    /// <summary>A line whose interpolated values are made <see cref="Visible"/> (the wording around them is ours).</summary>
    public static string Line(FormattableString line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return string.Format(CultureInfo.InvariantCulture, line.Format, Arguments(line));
    }

    /// <summary>The interpolated values of <paramref name="line"/>, formatted as asked, then made visible.</summary>
    public static object?[] Arguments(FormattableString line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return [.. line.GetArguments().Select(argument => (object?)new VisibleArgument(argument))];
    }

    /// <summary>Whether <paramref name="c"/> is shown as <c>\uXXXX</c> by <see cref="Visible"/>.</summary>
    public static bool IsHidden(char c) => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    /// <summary>An interpolated value: formatted as its format string asks (a count's N0), then made visible.</summary>
    private sealed class VisibleArgument(object? value) : IFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider) =>
            Visible(value is IFormattable formattable ? formattable.ToString(format, formatProvider) : value?.ToString());

        public override string ToString() => ToString(null, CultureInfo.InvariantCulture);
    }
}
