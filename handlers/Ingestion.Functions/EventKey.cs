using System.Net;

namespace Ingestion.Functions;

/// <summary>An object key as an S3 event may carry it.</summary>
/// <remarks>
/// S3 event notifications URL-encode the key (a space as <c>+</c>, anything else outside the unreserved set as
/// <c>%XX</c> of its UTF-8 bytes); EventBridge's Object Created event is documented with plain keys, and the nightly
/// sync sends the listing's raw key. So the raw key is tried first and the decoded one only when the raw one names
/// nothing: a key that really contains <c>+</c> or <c>%20</c> is never mistaken for another.
/// </remarks>
internal static class EventKey
{
    /// <summary>The key form-decoded (<c>+</c> as a space, <c>%XX</c> as UTF-8), or null when decoding changes nothing.</summary>
    public static string? Decoded(string key)
    {
        var decoded = WebUtility.UrlDecode(key);
        return string.Equals(decoded, key, StringComparison.Ordinal) ? null : decoded;
    }
}
