using System.Runtime.CompilerServices;
using System.Text.Json;
using Ingestion.States.Json;

namespace Ingestion.States.ItemReaders;

/// <summary>Streams JSON Lines: one JSON value a line; blank lines are skipped.</summary>
internal static class JsonLinesItemReader
{
    public static async IAsyncEnumerable<JValue> ReadAsync(Stream stream, string source, [EnumeratorCancellation] CancellationToken ct)
    {
        using var window = new ByteWindow(stream);
        long line = 0;
        while (true)
        {
            var newline = window.Data.IndexOf((byte)'\n');
            if (newline < 0 && !window.Eof)
            {
                try
                {
                    await window.FillAsync(ct);
                }
                catch (InvalidDataException e)
                {
                    throw ItemReaderFailure.At(source, $"line {line + 1}", e.Message);
                }

                continue;
            }

            if (newline < 0 && window.Data.Length == 0)
            {
                yield break;
            }

            var length = newline < 0 ? window.Data.Length : newline;
            line++;
            var item = ParseLine(window.Data[..length], source, line);
            window.Consume(newline < 0 ? length : length + 1);
            if (item is not null)
            {
                yield return item;
            }
        }
    }

    private static JValue? ParseLine(ReadOnlySpan<byte> text, string source, long line)
    {
        if (line == 1 && ItemReaderFailure.ForeignByteOrderMark(text) is { } encoding)
        {
            throw ItemReaderFailure.NotUtf8(source, encoding);
        }

        var trimmed = text.Trim(" \t\r"u8);
        if (line == 1 && trimmed.StartsWith("\uFEFF"u8))
        {
            trimmed = trimmed[3..];
        }

        // Where the value starts on its line, for a column counted from the line's first byte.
        var indent = text.Length - text.TrimStart(" \t\r"u8).Length + (line == 1 && text.TrimStart(" \t\r"u8).StartsWith("\uFEFF"u8) ? 3 : 0);

        if (trimmed.IsEmpty)
        {
            return null;
        }

        try
        {
            return JParser.ParseLazy(trimmed.ToArray(), JsonArrayItemReader.MaxDepth);
        }
        catch (JsonException e)
        {
            throw ItemReaderFailure.At(source, JsonErrorText.Position(e, line - 1, indent), $"the line is not valid JSON: {JsonErrorText.Problem(e)}");
        }
        catch (InvalidOperationException e)
        {
            throw ItemReaderFailure.At(source, $"line {line}, column {indent + 1}", $"the line holds text that is not valid Unicode: {ItemReaderFailure.NotUnicode(e)}");
        }
    }
}
