using System.Security.Cryptography;
using System.Text;

namespace Ingestion.Storage.Local.Folder;

/// <summary>
/// How the segments of a key become file names in the folder store. S3 takes keys of up to 1024 bytes whose segments
/// may be of any length; a file name on Linux and macOS is at most 255 bytes, and the store adds to some names (a
/// metadata file is the object's name and <c>.json</c>). A segment that fits is its own name, so a file dropped into
/// <c>incoming/</c> is found by its name; one that does not becomes a shortened name: its start, <c>~</c>, a hash of
/// the whole, and <c>.long</c>.
/// </summary>
/// <remarks>
/// A hash cannot be undone, so the object's metadata records its key, and a listing reads the key of a shortened name
/// from there. A segment that already has the shortened form is shortened too (its hash differs from itself), so two
/// keys never share a file.
/// </remarks>
internal static class FolderNames
{
    /// <summary>The longest file name, in UTF-8 bytes, on Linux (ext4, xfs, btrfs, tmpfs) and macOS.</summary>
    public const int MaxNameBytes = 255;

    private const int HeadBytes = 160;
    private const int HashChars = 32;
    private const string Mark = ".long";

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>The file name of a key segment (or of a name the store derives from one).</summary>
    public static string Of(string segment) =>
        Encoding.UTF8.GetByteCount(segment) <= MaxNameBytes && !IsShortened(segment) ? segment : Shorten(segment);

    /// <summary>The path, relative to the bucket folder, of the file of <paramref name="key"/>.</summary>
    public static string RelativePath(string key) => string.Join(Path.DirectorySeparatorChar, key.Split('/').Select(Of));

    /// <summary>Whether <paramref name="name"/> has the shortened form, so that only the metadata knows its key.</summary>
    public static bool IsShortened(string name) =>
        name.EndsWith(Mark, StringComparison.Ordinal)
        && name.Length >= HashChars + Mark.Length + 1
        && name[^(HashChars + Mark.Length + 1)] == '~'
        && name.AsSpan(name.Length - HashChars - Mark.Length, HashChars).ContainsAnyExcept(LowerHex) is false;

    private static string Shorten(string segment)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(segment)))[..HashChars];
        var head = new StringBuilder();
        var bytes = 0;
        foreach (var rune in segment.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > HeadBytes)
            {
                break; // whole characters only: a name cut inside one would not be UTF-8
            }

            head.Append(rune.ToString());
        }

        return $"{head}~{hash}{Mark}";
    }
}
