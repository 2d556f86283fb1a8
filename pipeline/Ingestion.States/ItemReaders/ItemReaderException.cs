using Ingestion.States.Errors;

namespace Ingestion.States.ItemReaders;

/// <summary>States.ItemReaderFailed with a cause that names the object, the position and what was wrong.</summary>
internal static class ItemReaderFailure
{
    public static StatesException At(string source, string position, string problem) =>
        new(StatesErrors.ItemReaderFailed, $"Failed to read items from {source} at {position}: {problem}");

    public static StatesException Of(string source, string problem) =>
        new(StatesErrors.ItemReaderFailed, $"Failed to read items from {source}: {problem}");

    /// <summary>
    /// The encoding a byte order mark at the start of an object names, when it is not UTF-8: items must be UTF-8
    /// (a UTF-8 byte order mark is allowed and skipped). Null when the bytes start otherwise.
    /// </summary>
    public static string? ForeignByteOrderMark(ReadOnlySpan<byte> start) => start switch
    {
        [0xFF, 0xFE, 0x00, 0x00, ..] => "UTF-32 (little-endian)",
        [0x00, 0x00, 0xFE, 0xFF, ..] => "UTF-32 (big-endian)",
        [0xFF, 0xFE, ..] => "UTF-16 (little-endian)",
        [0xFE, 0xFF, ..] => "UTF-16 (big-endian)",
        _ => null,
    };

    /// <summary>AWS's words for a CSV header (first row or CSVHeaders) that names a column twice.</summary>
    public static StatesException DuplicateCsvHeaders() => new(StatesErrors.ItemReaderFailed, "CSV headers cannot contain duplicates.");

    /// <summary>
    /// What System.Text.Json's refusal to decode a string means, in words: bytes that are not UTF-8, or an escape that is
    /// not UTF-16 text (its own message speaks of transcoding).
    /// </summary>
    public static string NotUnicode(InvalidOperationException error) =>
        error.Message.Contains("UTF-16", StringComparison.Ordinal) && !error.Message.Contains("UTF-8 JSON text to UTF-16", StringComparison.Ordinal)
            ? "an escape that is not UTF-16 text (a lone surrogate such as \\ud800)"
            : "bytes that are not UTF-8";

    /// <summary>The failure for an object in another encoding than UTF-8.</summary>
    public static StatesException NotUtf8(string source, string encoding) =>
        At(source, "line 1, column 1", $"the file is {encoding} text (it starts with that byte order mark), not UTF-8; save it as UTF-8");
}
