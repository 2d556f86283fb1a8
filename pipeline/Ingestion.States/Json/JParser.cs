using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Ingestion.States.Json;

/// <summary>Reads JSON text into <see cref="JValue"/> trees with <see cref="Utf8JsonReader"/>.</summary>
public static class JParser
{
    /// <summary>AWS accepts deeply nested payloads; 512 bounds the recursion well below stack limits.</summary>
    public const int DefaultMaxDepth = 512;

    private static readonly JsonReaderOptions Options = new()
    {
        MaxDepth = DefaultMaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static JValue Parse(ReadOnlySpan<byte> utf8) => Parse(utf8, DefaultMaxDepth);

    public static JValue Parse(ReadOnlySpan<byte> utf8, int maxDepth)
    {
        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        var reader = new Utf8JsonReader(utf8, maxDepth == DefaultMaxDepth ? Options : Options with { MaxDepth = maxDepth });
        if (!reader.Read())
        {
            throw new JsonException("The input is empty: expected a JSON value.");
        }

        var value = ReadValue(ref reader);
        if (reader.Read())
        {
            throw new JsonException($"Unexpected data after the JSON value at byte {reader.TokenStartIndex}.");
        }

        return value;
    }

    /// <summary>
    /// Parses JSON text the caller hands over (it must never change afterwards): an object or array written
    /// compactly becomes a value that keeps the text and builds its parts only when first asked (see
    /// <see cref="JObject"/>), so a payload that only passes through is never turned into a tree and written
    /// back. Any other text is parsed as <see cref="Parse(ReadOnlySpan{byte}, int)"/> does. The whole text is
    /// validated either way: invalid JSON throws <see cref="JsonException"/> here, never later.
    /// </summary>
    public static JValue ParseLazy(ReadOnlyMemory<byte> utf8, int maxDepth = DefaultMaxDepth)
    {
        var span = utf8.Span;
        if (span.IsEmpty || span.StartsWith("\uFEFF"u8))
        {
            return Parse(span, maxDepth);
        }

        var reader = new Utf8JsonReader(span, maxDepth == DefaultMaxDepth ? Options : Options with { MaxDepth = maxDepth });
        var compact = true;
        long end = 0;
        var first = JsonTokenType.None;
        var keys = KeyTracker.ForThisThread();
        var containers = ValidatedText.Recorder.ForThisThread();
        // Every string of valid UTF-8 text is valid UTF-8: one pass over the whole text instead of one per string.
        var isUtf8 = System.Text.Unicode.Utf8.IsValid(span);
        while (reader.Read())
        {
            if (first == JsonTokenType.None)
            {
                first = reader.TokenType;
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    keys.Open();
                    containers.Open((int)reader.TokenStartIndex);
                    break;
                case JsonTokenType.EndObject:
                    keys.Close();
                    containers.Close((int)reader.BytesConsumed);
                    break;
                case JsonTokenType.StartArray:
                    containers.Open((int)reader.TokenStartIndex);
                    break;
                case JsonTokenType.EndArray:
                    containers.Close((int)reader.BytesConsumed);
                    break;
                case JsonTokenType.PropertyName:
                    CheckText(ref reader, isUtf8);
                    // A repeated key is resolved (the last wins) only by building the object: such text stays eager.
                    compact = compact && !reader.ValueIsEscaped && !reader.HasValueSequence && keys.Add(span, (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                    break;
                case JsonTokenType.String:
                    CheckText(ref reader, isUtf8);
                    break;
            }

            // Compact text has nothing between tokens but one ',' (and a property name's token ends with its ':').
            var gap = reader.TokenStartIndex - end;
            if (gap > 1 || (gap == 1 && span[(int)end] != (byte)','))
            {
                compact = false;
            }

            if (reader.TokenType == JsonTokenType.PropertyName && reader.BytesConsumed - reader.TokenStartIndex != (reader.HasValueSequence ? -1 : reader.ValueSpan.Length + 3))
            {
                compact = false;
            }

            end = reader.BytesConsumed;
        }

        if (first == JsonTokenType.None)
        {
            throw new JsonException("The input is empty: expected a JSON value.");
        }

        if (!compact || end != span.Length)
        {
            return Parse(span, maxDepth);
        }

        return first switch
        {
            JsonTokenType.StartObject => new JObject(containers.Finish(utf8), 0),
            JsonTokenType.StartArray => new JArray(containers.Finish(utf8), 0),
            _ => Parse(span, maxDepth),
        };
    }

    /// <summary>
    /// Fails on a string that cannot become text, as <see cref="Utf8JsonReader.GetString"/> would when the value
    /// is built: bytes that are not UTF-8, an escape that is not UTF-16 (<see cref="InvalidOperationException"/>).
    /// </summary>
    private static void CheckText(ref Utf8JsonReader reader, bool textIsUtf8)
    {
        if (reader.HasValueSequence || (!textIsUtf8 && !System.Text.Unicode.Utf8.IsValid(reader.ValueSpan)))
        {
            _ = reader.GetString();
        }
        else if (reader.ValueIsEscaped && MayHoldSurrogateEscape(reader.ValueSpan))
        {
            // Unescape into a scratch buffer (never longer than the escaped text): it fails as GetString would.
            var length = reader.ValueSpan.Length;
            var rented = length <= 256 ? null : System.Buffers.ArrayPool<char>.Shared.Rent(length);
            try
            {
                _ = reader.CopyString(rented is null ? stackalloc char[length] : rented.AsSpan(0, length));
            }
            finally
            {
                if (rented is not null)
                {
                    System.Buffers.ArrayPool<char>.Shared.Return(rented);
                }
            }
        }
    }

    /// <summary>
    /// Whether escaped text has a <c>\uD800</c>–<c>\uDFFF</c> escape, the only escape that can fail to become text
    /// (an unpaired surrogate); <c>\"</c>, <c>\n</c> or <c>\u00e9</c> always can.
    /// </summary>
    private static bool MayHoldSurrogateEscape(ReadOnlySpan<byte> escaped)
    {
        for (var at = escaped.IndexOf("\\u"u8); at >= 0 && at + 2 < escaped.Length; at = NextEscape(escaped, at + 2))
        {
            if (escaped[at + 2] is (byte)'d' or (byte)'D')
            {
                return true;
            }
        }

        return false;

        static int NextEscape(ReadOnlySpan<byte> text, int from)
        {
            var next = text[from..].IndexOf("\\u"u8);
            return next < 0 ? -1 : from + next;
        }
    }

    /// <summary>The keys of the objects open during a lazy parse, to tell a repeated key.</summary>
    /// <remarks>Its lists are the thread's, reused by every parse on it (a parse never nests in another).</remarks>
    private readonly struct KeyTracker
    {
        [ThreadStatic]
        private static List<(int Start, int Length)>? _threadKeys;

        [ThreadStatic]
        private static List<int>? _threadFrames;

        private readonly List<(int Start, int Length)> _keys;
        private readonly List<int> _frames;

        private KeyTracker(List<(int Start, int Length)> keys, List<int> frames)
        {
            _keys = keys;
            _frames = frames;
        }

        public static KeyTracker ForThisThread()
        {
            var keys = _threadKeys ??= new List<(int Start, int Length)>(32);
            var frames = _threadFrames ??= new List<int>(8);
            keys.Clear();
            frames.Clear();
            return new KeyTracker(keys, frames);
        }

        public void Open() => _frames.Add(_keys.Count);

        public void Close()
        {
            var frame = _frames[^1];
            _frames.RemoveAt(_frames.Count - 1);
            _keys.RemoveRange(frame, _keys.Count - frame);
        }

        /// <summary>Records a key of the innermost object; false when that object already has it.</summary>
        public bool Add(ReadOnlySpan<byte> text, int start, int length)
        {
            var key = text.Slice(start, length);
            for (var i = _frames[^1]; i < _keys.Count; i++)
            {
                var (otherStart, otherLength) = _keys[i];
                if (otherLength == length && text.Slice(otherStart, otherLength).SequenceEqual(key))
                {
                    return false;
                }
            }

            _keys.Add((start, length));
            return true;
        }
    }

    /// <summary>The properties of a lazy object; objects and arrays nested in them stay lazy over their part of the text.</summary>
    internal static KeyValuePair<string, JValue>[] ReadObjectLevel(ValidatedText text, int container)
    {
        var span = text.Utf8.Span;
        var at = text.Start(container) + 1;
        if (span[at] == (byte)'}')
        {
            return [];
        }

        // Validated compact text: no byte between tokens but one ',' or ':', no escaped or repeated key.
        var properties = new List<KeyValuePair<string, JValue>>();
        var nested = container + 1;
        do
        {
            var length = span[(at + 1)..].IndexOf((byte)'"');
            var name = System.Text.Encoding.UTF8.GetString(span.Slice(at + 1, length));
            at += length + 3;
            properties.Add(new(name, ReadLevelValue(text, span, ref at, ref nested)));
        }
        while (span[at++] == (byte)',');

        return [.. properties];
    }

    /// <summary>The items of a lazy array; objects and arrays among them stay lazy over their part of the text.</summary>
    internal static JValue[] ReadArrayLevel(ValidatedText text, int container)
    {
        var span = text.Utf8.Span;
        var at = text.Start(container) + 1;
        if (span[at] == (byte)']')
        {
            return [];
        }

        var items = new List<JValue>();
        var nested = container + 1;
        do
        {
            items.Add(ReadLevelValue(text, span, ref at, ref nested));
        }
        while (span[at++] == (byte)',');

        return [.. items];
    }

    /// <summary>The value at <paramref name="at"/>, which then moves past it; <paramref name="nested"/> is the next container's number.</summary>
    private static JValue ReadLevelValue(ValidatedText text, ReadOnlySpan<byte> span, ref int at, ref int nested)
    {
        if (span[at] is (byte)'{' or (byte)'[')
        {
            var container = nested;
            JValue value = span[at] == (byte)'{' ? new JObject(text, container) : new JArray(text, container);
            at = text.End(container);
            nested = text.After(container);
            return value;
        }

        // A scalar: read as the only value of the text from here (a reader stops at the ',', '}' or ']' after it).
        var reader = new Utf8JsonReader(span[at..], Options);
        reader.Read();
        var scalar = ReadValue(ref reader);
        at += (int)reader.BytesConsumed;
        return scalar;
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out JValue? value, [NotNullWhen(false)] out string? error)
    {
        try
        {
            value = Parse(System.Text.Encoding.UTF8.GetBytes(text));
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            value = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Reads the value at the reader's current token and leaves the reader on its last token.</summary>
    public static JValue ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return ReadObject(ref reader);
            case JsonTokenType.StartArray:
                return ReadArray(ref reader);
            case JsonTokenType.String:
                return new JString(reader.GetString()!);
            case JsonTokenType.Number:
                return ReadNumber(ref reader);
            case JsonTokenType.True:
                return JValue.True;
            case JsonTokenType.False:
                return JValue.False;
            case JsonTokenType.Null:
                return JValue.Null;
            default:
                throw new JsonException($"Unexpected token {reader.TokenType} at byte {reader.TokenStartIndex}.");
        }
    }

    private static JNumber ReadNumber(ref Utf8JsonReader reader)
    {
        if (reader.TryGetInt64(out var integer))
        {
            return JNumber.Of(integer);
        }

        var value = reader.GetDouble();
        var span = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
        return JNumber.FromText(value, System.Text.Encoding.UTF8.GetString(span));
    }

    private static JArray ReadArray(ref Utf8JsonReader reader)
    {
        var items = new List<JValue>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(ReadValue(ref reader));
        }

        return items.Count == 0 ? JArray.Empty : new JArray([.. items]);
    }

    private static JObject ReadObject(ref Utf8JsonReader reader)
    {
        var properties = new List<KeyValuePair<string, JValue>>();
        var hasDuplicate = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            var value = ReadValue(ref reader);
            if (!hasDuplicate)
            {
                foreach (var existing in properties)
                {
                    if (string.Equals(existing.Key, name, StringComparison.Ordinal))
                    {
                        hasDuplicate = true;
                        break;
                    }
                }
            }

            properties.Add(new(name, value));
        }

        if (properties.Count == 0)
        {
            return JObject.Empty;
        }

        return hasDuplicate ? JObject.FromProperties(properties) : new JObject([.. properties]);
    }
}
