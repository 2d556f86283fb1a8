using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Ingestion.Domain.Storage;

/// <summary>The rules every object key and bucket name must pass, in every adapter.</summary>
/// <remarks>
/// Stricter than S3 on purpose: the same key must be a safe relative path in the folder adapter, so nothing a
/// user uploads can name a file outside the bucket's folder.
/// </remarks>
public static class ObjectKey
{
    /// <summary>S3's limit on a key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>Checks a key; <paramref name="reason"/> says what is wrong.</summary>
    public static bool TryValidate(string? key, [NotNullWhen(false)] out string? reason)
    {
        if (string.IsNullOrEmpty(key))
        {
            reason = "the key is empty";
            return false;
        }

        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            reason = $"the key is longer than {MaxKeyBytes} bytes";
            return false;
        }

        if (key[0] == '/')
        {
            reason = "the key is an absolute path";
            return false;
        }

        if (key.Length >= 2 && key[1] == ':' && char.IsAsciiLetter(key[0]))
        {
            reason = "the key starts with a drive letter";
            return false;
        }

        foreach (var c in key)
        {
            if (c == '\\')
            {
                reason = "the key contains a backslash";
                return false;
            }

            if (char.IsControl(c))
            {
                reason = c == '\0' ? "the key contains a NUL character" : "the key contains a control character";
                return false;
            }
        }

        foreach (var segment in key.Split('/'))
        {
            switch (segment)
            {
                case "":
                    reason = "the key has an empty path segment (a '//' or a trailing '/')";
                    return false;
                case ".":
                case "..":
                    reason = $"the key has a '{segment}' path segment";
                    return false;
            }
        }

        reason = null;
        return true;
    }

    /// <summary>Throws <see cref="InvalidObjectKeyException"/> when the key breaks a rule.</summary>
    public static void Validate(string? key)
    {
        if (!TryValidate(key, out var reason))
        {
            throw new InvalidObjectKeyException(key ?? string.Empty, reason);
        }
    }

    /// <summary>Checks a bucket name against S3's rules (3–63 of lower-case letters, digits, '.', '-').</summary>
    public static void ValidateBucket(string? bucket)
    {
        var ok = bucket is { Length: >= 3 and <= 63 }
            && (char.IsAsciiLetterLower(bucket[0]) || char.IsAsciiDigit(bucket[0]))
            && (char.IsAsciiLetterLower(bucket[^1]) || char.IsAsciiDigit(bucket[^1]))
            && bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')
            && !bucket.Contains("..", StringComparison.Ordinal);
        if (!ok)
        {
            throw new InvalidObjectKeyException(bucket ?? string.Empty, "not a valid bucket name (3-63 characters of a-z, 0-9, '.', '-')");
        }
    }

    /// <summary>The last path segment of a key: <c>incoming/a/b.json</c> → <c>b.json</c>.</summary>
    public static string FileName(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.LastIndexOf('/');
        return slash < 0 ? key : key[(slash + 1)..];
    }

    /// <summary>Orders keys as S3 lists them: by the UTF-8 bytes, which is Unicode code point order.</summary>
    public static int CompareUtf8(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a == b)
            {
                continue;
            }

            // UTF-16 order differs from code point order only where a surrogate meets U+E000..U+FFFF.
            if (char.IsSurrogate(a) != char.IsSurrogate(b))
            {
                return char.IsSurrogate(a) ? 1 : -1;
            }

            return a.CompareTo(b);
        }

        return x.Length.CompareTo(y.Length);
    }

    /// <summary>A key safe to print in a message (control characters escaped, cut at 200 characters).</summary>
    internal static string Printable(string key)
    {
        var builder = new StringBuilder(Math.Min(key.Length, 200));
        foreach (var c in key.Length > 200 ? key[..200] : key)
        {
            _ = char.IsControl(c) ? builder.Append($"\\u{(int)c:x4}") : builder.Append(c);
        }

        return key.Length > 200 ? builder.Append('…').ToString() : builder.ToString();
    }
}
