using System.Runtime.CompilerServices;
using System.Text.Json;
using Ingestion.States.Errors;
using Ingestion.States.Json;

namespace Ingestion.States.ItemReaders;

/// <summary>Streams the elements of a top-level JSON array, one parsed item at a time.</summary>
internal static class JsonArrayItemReader
{
    /// <summary>Items nested deeper than this are refused: a sane bound for records, far from stack limits.</summary>
    public const int MaxDepth = 64;

    private enum Step
    {
        Item,
        NeedMore,
        End,
    }

    public static async IAsyncEnumerable<JValue> ReadAsync(Stream stream, string source, [EnumeratorCancellation] CancellationToken ct)
    {
        using var window = new ByteWindow(stream);
        var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = MaxDepth + 1 });
        var begun = false;
        while (true)
        {
            Step step;
            JValue? item;
            try
            {
                step = TryNext(window, ref state, ref begun, source, out item);
            }
            catch (JsonException e)
            {
                // The reader state carries line and position across refills, so the exception's are absolute.
                throw ItemReaderFailure.At(source, JsonErrorText.Position(e), JsonErrorText.Problem(e));
            }
            catch (InvalidOperationException e)
            {
                throw ItemReaderFailure.At(source, window.PositionAt(0), $"invalid UTF-8 or JSON: {ItemReaderFailure.NotUnicode(e)}");
            }

            switch (step)
            {
                case Step.Item:
                    yield return item!;
                    break;
                case Step.End:
                    yield break;
                case Step.NeedMore:
                    bool more;
                    try
                    {
                        more = await window.FillAsync(ct);
                    }
                    catch (InvalidDataException e)
                    {
                        throw ItemReaderFailure.At(source, window.PositionAt(0), e.Message);
                    }

                    if (!more && window.Data.Length == 0 && !begun)
                    {
                        throw ItemReaderFailure.Of(source, "the object is empty; expected a JSON array");
                    }

                    break;
            }
        }
    }

    private static Step TryNext(ByteWindow window, ref JsonReaderState state, ref bool begun, string source, out JValue? item)
    {
        item = null;
        var data = window.Data;
        if (!begun)
        {
            if (!window.Eof && data.Length < 3)
            {
                return Step.NeedMore;
            }

            if (data.StartsWith("\uFEFF"u8))
            {
                window.Consume(3);
                data = window.Data;
            }
            else if (ItemReaderFailure.ForeignByteOrderMark(data) is { } encoding)
            {
                throw ItemReaderFailure.NotUtf8(source, encoding);
            }
        }

        var reader = new Utf8JsonReader(data, window.Eof, state);
        if (!reader.Read())
        {
            if (window.Eof)
            {
                throw ItemReaderFailure.At(source, window.PositionAt(window.Data.Length), begun ? "the array is not closed" : "the object is empty; expected a JSON array");
            }

            return Step.NeedMore;
        }

        if (!begun)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                // AWS's own words for a file whose top-level value is not an array.
                throw new StatesException(StatesErrors.ItemReaderFailed, "Attempting to map over non-iterable node.");
            }

            begun = true;
            window.Consume((int)reader.BytesConsumed);
            state = reader.CurrentState;
            return TryNext(window, ref state, ref begun, source, out item);
        }

        if (reader.TokenType == JsonTokenType.EndArray)
        {
            var rest = data[(int)reader.BytesConsumed..];
            if (!window.Eof || rest.Trim(" \t\r\n"u8).Length > 0)
            {
                if (!window.Eof)
                {
                    return Step.NeedMore;
                }

                throw ItemReaderFailure.At(source, window.PositionAt((int)reader.BytesConsumed + (rest.Length - rest.TrimStart(" \t\r\n"u8).Length)), "unexpected data after the array");
            }

            return Step.End;
        }

        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
        {
            return Step.NeedMore;
        }

        var end = (int)reader.BytesConsumed;
        try
        {
            // The item keeps its own copy of its text: the window is reused for the next ones.
            item = JParser.ParseLazy(data[start..end].ToArray());
        }
        catch (InvalidOperationException e)
        {
            // Well-formed JSON whose text is not valid: bytes that are not UTF-8, or an escape that is not UTF-16.
            throw ItemReaderFailure.At(source, window.PositionAt(start), $"the record that starts there holds text that is not valid Unicode: {ItemReaderFailure.NotUnicode(e)}");
        }

        state = reader.CurrentState;
        window.Consume(end);
        return Step.Item;
    }
}
