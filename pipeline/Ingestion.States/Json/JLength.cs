using System.Text;

namespace Ingestion.States.Json;

internal static class JLength
{
    /// <summary>The serialised length of a string literal, quotes and escapes included.</summary>
    /// <remarks>Counts what the relaxed encoder escapes (quotes, backslashes, control characters), which is what the payload limit needs.</remarks>
    public static int OfString(string value)
    {
        var length = 2;
        foreach (var c in value)
        {
            if (c < 0x20)
            {
                length += c is '\n' or '\r' or '\t' or '\b' or '\f' ? 2 : 6;
            }
            else if (c is '"' or '\\')
            {
                length += 2;
            }
            else if (c < 0x80)
            {
                length++;
            }
            else if (char.IsSurrogate(c))
            {
                length += 2;
            }
            else
            {
                length += c < 0x800 ? 2 : 3;
            }
        }

        return length;
    }

    public static int Utf8(string value) => Encoding.UTF8.GetByteCount(value);
}
