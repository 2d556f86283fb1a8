using System.Text;
using Ingestion.States.Jsonata.Evaluation;
using Ingestion.States.Jsonata.Text;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>String built-ins. Lengths and offsets count code points, as jsonata-js does.</summary>
internal static class StringFunctions
{
    /// <summary>$string without prettify, and the text of '&amp;' operands (undefined is "").</summary>
    public static string Stringify(object? value) => value is null ? string.Empty : ToText(value, pretty: false);

    public static string ToText(object value, bool pretty) => value switch
    {
        string s => s,
        JsFunction => string.Empty,
        double d when !double.IsFinite(d) => throw JsonataErrors.Create("D3001", "Attempting to invoke string function on Infinity or NaN"),
        double d => NumberText.Format(NumberText.ToPrecision15(d)),
        _ => JsonText.Write(value, pretty),
    };

    public static object? String(object?[] a) => a[0] is null ? null : ToText(a[0]!, a.Length > 1 && a[1] is true);

    public static object? Length(object?[] a) => a[0] is string s ? (double)CodePoints(s).Length : null;

    public static int[] CodePoints(string s)
    {
        var result = new List<int>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                result.Add(char.ConvertToUtf32(s[i], s[i + 1]));
                i++;
            }
            else
            {
                result.Add(s[i]);
            }
        }

        return [.. result];
    }

    private static string FromCodePoints(int[] points, int start, int count)
    {
        var sb = new StringBuilder(count);
        for (var i = start; i < start + count; i++)
        {
            if (points[i] > 0xFFFF)
            {
                sb.Append(char.ConvertFromUtf32(points[i]));
            }
            else
            {
                sb.Append((char)points[i]);
            }
        }

        return sb.ToString();
    }

    public static object? Substring(object?[] a)
    {
        if (a[0] is not string s)
        {
            return null;
        }

        var points = CodePoints(s);
        var length = points.Length;

        // A missing start is NaN in JavaScript's arithmetic, which slices nothing when a length is given.
        var start = a[1] as double? ?? double.NaN;
        if (length + start < 0)
        {
            start = 0;
        }

        if (a.Length < 3 || a[2] is null)
        {
            return Slice(points, start, length);
        }

        var count = (double)a[2]!;
        if (count <= 0)
        {
            return string.Empty;
        }

        var end = start >= 0 ? start + count : length + start + count;
        return Slice(points, start, end);
    }

    /// <summary>JavaScript's Array.prototype.slice over code points.</summary>
    private static string Slice(int[] points, double start, double end)
    {
        var length = points.Length;
        static int Relative(double value, int length)
        {
            var v = double.IsNaN(value) ? 0 : Math.Truncate(value);
            return (int)(v < 0 ? Math.Max(length + v, 0) : Math.Min(v, length));
        }

        var from = Relative(start, length);
        var to = Relative(end, length);
        return to > from ? FromCodePoints(points, from, to - from) : string.Empty;
    }

    public static object? SubstringBefore(object?[] a)
    {
        if (a[0] is not string s)
        {
            return null;
        }

        var chars = AsSearchString(a[1]);
        var index = s.IndexOf(chars, StringComparison.Ordinal);
        return index > -1 ? s[..index] : s;
    }

    public static object? SubstringAfter(object?[] a)
    {
        if (a[0] is not string s)
        {
            return null;
        }

        var chars = AsSearchString(a[1]);
        var index = s.IndexOf(chars, StringComparison.Ordinal);
        return index > -1 ? s[(index + chars.Length)..] : s;
    }

    /// <summary>JavaScript's indexOf coerces a missing argument to the text "undefined".</summary>
    private static string AsSearchString(object? value) => value as string ?? "undefined";

    public static object? Uppercase(object?[] a) => (a[0] as string)?.ToUpperInvariant();

    public static object? Lowercase(object?[] a) => (a[0] as string)?.ToLowerInvariant();

    public static object? Trim(object?[] a)
    {
        if (a[0] is not string s)
        {
            return null;
        }

        var sb = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s)
        {
            if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
            {
                space = true;
            }
            else
            {
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                space = false;
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    public static object? Pad(object?[] a)
    {
        if (a[0] is not string s)
        {
            return null;
        }

        if (a[1] is not double requested)
        {
            return s;
        }

        var width = Math.Truncate(requested);
        var padChar = a.Length > 2 && a[2] is string p && p.Length > 0 ? p : " ";
        var length = CodePoints(s).Length;
        var needed = (int)Math.Abs(width) - length;
        if (needed <= 0)
        {
            return s;
        }

        var padPoints = CodePoints(padChar);
        var padding = new StringBuilder();
        for (var i = 0; i < needed; i++)
        {
            var cp = padPoints[i % padPoints.Length];
            padding.Append(cp > 0xFFFF ? char.ConvertFromUtf32(cp) : ((char)cp).ToString());
        }

        return width > 0 ? s + padding : padding + s;
    }

    public static object? Join(object?[] a)
    {
        if (a[0] is not JsArray strings)
        {
            return null;
        }

        var separator = a.Length > 1 && a[1] is string sep ? sep : string.Empty;
        return string.Join(separator, strings.Select(v => (string)v!));
    }

    /// <summary>Node's Buffer "binary" encoding: each UTF-16 unit's low byte.</summary>
    public static object? Base64Encode(object?[] a) =>
        a[0] is string s ? Convert.ToBase64String(s.Select(c => (byte)c).ToArray()) : null;

    /// <summary>Node's lenient base64 reading: characters outside the alphabet are skipped, padding is optional.</summary>
    public static object? Base64Decode(object?[] a)
    {
        if (a[0] is not string s)
        {
            return null;
        }

        var clean = new StringBuilder(s.Length + 3);
        foreach (var c in s)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '+' or '/')
            {
                clean.Append(c);
            }
            else if (c is '-' or '_')
            {
                clean.Append(c == '-' ? '+' : '/');
            }
            else if (c == '=')
            {
                break;
            }
        }

        if (clean.Length % 4 == 1)
        {
            clean.Length--;
        }

        while (clean.Length % 4 != 0)
        {
            clean.Append('=');
        }

        var bytes = Convert.FromBase64String(clean.ToString());
        return string.Create(bytes.Length, bytes, (span, b) =>
        {
            for (var i = 0; i < b.Length; i++)
            {
                span[i] = (char)b[i];
            }
        });
    }
}
