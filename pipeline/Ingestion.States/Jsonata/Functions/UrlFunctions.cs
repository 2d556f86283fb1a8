using System.Text;
using Ingestion.States.Jsonata.Evaluation;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>JavaScript's encodeURI(Component)/decodeURI(Component): UTF-8 percent-encoding with their exact reserved sets.</summary>
internal static class UrlFunctions
{
    private const string ComponentUnescaped = "-_.!~*'()";
    private const string UriReserved = ";,/?:@&=+$#";

    public static object? EncodeComponent(object?[] a) => a[0] is string s ? Encode(s, ComponentUnescaped, "encodeUrlComponent") : null;

    public static object? Encode(object?[] a) => a[0] is string s ? Encode(s, ComponentUnescaped + UriReserved, "encodeUrl") : null;

    public static object? DecodeComponent(object?[] a) => a[0] is string s ? Decode(s, string.Empty, "decodeUrlComponent") : null;

    public static object? Decode(object?[] a) => a[0] is string s ? Decode(s, UriReserved, "decodeUrl") : null;

    private static string Encode(string s, string unescaped, string name)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiLetterOrDigit(c) || unescaped.Contains(c, StringComparison.Ordinal))
            {
                sb.Append(c);
                continue;
            }

            int codePoint;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, s[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                throw JsonataErrors.Create("D3140", $"Malformed URL passed to ${name}(): \"{s}\"");
            }
            else
            {
                codePoint = c;
            }

            foreach (var b in Encoding.UTF8.GetBytes(char.ConvertFromUtf32(codePoint)))
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static string Decode(string s, string reserved, string name)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '%')
            {
                sb.Append(s[i]);
                continue;
            }

            var bytes = new List<byte>();
            var start = i;
            var first = ReadByte(s, i, name);
            bytes.Add(first);
            var extra = first < 0x80 ? 0 : first >= 0xF0 ? 3 : first >= 0xE0 ? 2 : first >= 0xC0 ? 1 : -1;
            if (extra < 0)
            {
                throw Malformed(s, name);
            }

            for (var k = 0; k < extra; k++)
            {
                i += 3;
                if (i >= s.Length || s[i] != '%')
                {
                    throw Malformed(s, name);
                }

                bytes.Add(ReadByte(s, i, name));
            }

            i += 2;
            string decoded;
            try
            {
                decoded = new UTF8Encoding(false, true).GetString(bytes.ToArray());
            }
            catch (DecoderFallbackException)
            {
                throw Malformed(s, name);
            }

            if (decoded.Length == 1 && reserved.Contains(decoded[0], StringComparison.Ordinal))
            {
                sb.Append(s, start, i - start + 1);
            }
            else
            {
                sb.Append(decoded);
            }
        }

        return sb.ToString();
    }

    private static byte ReadByte(string s, int i, string name)
    {
        if (i + 2 >= s.Length || !Uri.IsHexDigit(s[i + 1]) || !Uri.IsHexDigit(s[i + 2]))
        {
            throw Malformed(s, name);
        }

        return (byte)Convert.ToInt32(s.Substring(i + 1, 2), 16);
    }

    private static JsonataException Malformed(string s, string name) =>
        JsonataErrors.Create("D3140", $"Malformed URL passed to ${name}(): \"{s}\"");
}
