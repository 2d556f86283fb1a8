using System.Buffers;
using System.Text;
using System.Text.Json;
using Ingestion.Tools.Synthetic;

namespace Ingestion.Tools.Bench;

/// <summary>
/// The baseline's reader: streams a file's records, each as the UTF-8 JSON the pipeline's ItemReader would deliver
/// (a JSON array's elements as written, JSON Lines' lines, CSV rows as objects of strings keyed by the header), into
/// batches shaped as JSON arrays, ready for one <see cref="JsonDocument"/> parse per batch. Memory: one read buffer
/// and one batch.
/// </summary>
internal sealed class RecordSplitter(Stream input, ExportFormat format, int batchSize)
{
    private const int ReadSize = 1 << 20;

    /// <summary>Reads every record; calls <paramref name="batch"/> with each full batch (a JSON array) and its record count.</summary>
    public void Read(Action<ReadOnlyMemory<byte>, int> batch)
    {
        var builder = new BatchBuilder(batchSize, batch);
        switch (format)
        {
            case ExportFormat.Json:
                ReadJsonArray(builder);
                break;
            case ExportFormat.JsonLines:
                ReadLines(builder);
                break;
            default:
                ReadCsv(builder);
                break;
        }

        builder.Flush();
    }

    private void ReadJsonArray(BatchBuilder builder)
    {
        var buffer = new byte[ReadSize];
        int start = 0, end = 0;
        var eof = false;
        var begun = false;
        var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = 65 });
        while (true)
        {
            var reader = new Utf8JsonReader(buffer.AsSpan(start, end - start), eof, state);
            var consumed = 0;
            var done = false;
            while (true)
            {
                var saved = reader.CurrentState;
                if (!reader.Read())
                {
                    state = saved;
                    break;
                }

                if (!begun)
                {
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw new InvalidDataException("The file is not a JSON array.");
                    }

                    begun = true;
                    consumed = (int)reader.BytesConsumed;
                    state = reader.CurrentState;
                    continue;
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    done = true;
                    break;
                }

                var tokenStart = (int)reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                {
                    state = saved;
                    break;
                }

                builder.Add(buffer.AsSpan(start + tokenStart, (int)reader.BytesConsumed - tokenStart));
                consumed = (int)reader.BytesConsumed;
                state = reader.CurrentState;
            }

            if (done)
            {
                return;
            }

            start += consumed;
            if (eof)
            {
                throw new InvalidDataException("The JSON array is not closed.");
            }

            (start, end, eof) = Refill(ref buffer, start, end);
        }
    }

    private void ReadLines(BatchBuilder builder)
    {
        var buffer = new byte[ReadSize];
        int start = 0, end = 0;
        var eof = false;
        while (true)
        {
            var data = buffer.AsSpan(start, end - start);
            int newline;
            while ((newline = data.IndexOf((byte)'\n')) >= 0)
            {
                AddLine(builder, data[..newline]);
                start += newline + 1;
                data = data[(newline + 1)..];
            }

            if (eof)
            {
                AddLine(builder, data);
                return;
            }

            (start, end, eof) = Refill(ref buffer, start, end);
        }
    }

    private static void AddLine(BatchBuilder builder, ReadOnlySpan<byte> line)
    {
        line = line.TrimEnd((byte)'\r');
        if (!line.Trim(" \t"u8).IsEmpty)
        {
            builder.Add(line);
        }
    }

    private void ReadCsv(BatchBuilder builder)
    {
        using var text = new StreamReader(input, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, ReadSize, leaveOpen: true);
        var record = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(record);
        string[]? headers = null;
        var fields = new List<string>();
        var field = new StringBuilder();
        while (ReadRow(text, fields, field))
        {
            if (headers is null)
            {
                headers = [.. fields];
                continue;
            }

            if (fields.Count != headers.Length)
            {
                throw new InvalidDataException($"A row has {fields.Count} fields but the header has {headers.Length}.");
            }

            record.ResetWrittenCount();
            writer.Reset();
            writer.WriteStartObject();
            for (var i = 0; i < headers.Length; i++)
            {
                writer.WriteString(headers[i], fields[i]);
            }

            writer.WriteEndObject();
            writer.Flush();
            builder.Add(record.WrittenSpan);
        }
    }

    /// <summary>One RFC 4180 row (quoted fields may hold commas, doubled quotes and newlines); false at the end.</summary>
    private static bool ReadRow(StreamReader text, List<string> fields, StringBuilder field)
    {
        fields.Clear();
        field.Clear();
        var inQuotes = false;
        var any = false;
        while (true)
        {
            var next = text.Read();
            if (next < 0)
            {
                if (!any)
                {
                    return false;
                }

                fields.Add(field.ToString());
                return true;
            }

            var c = (char)next;
            if (c == '\uFEFF' && !any && fields.Count == 0)
            {
                continue;
            }

            if (inQuotes)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (text.Peek() == '"')
                {
                    text.Read();
                    field.Append('"');
                }
                else
                {
                    inQuotes = false;
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    inQuotes = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r' or '\n':
                    if (c == '\r' && text.Peek() == '\n')
                    {
                        text.Read();
                    }

                    if (!any)
                    {
                        continue;
                    }

                    fields.Add(field.ToString());
                    return true;
                default:
                    field.Append(c);
                    any = true;
                    break;
            }
        }
    }

    /// <summary>Moves the unread bytes to the front, grows the buffer if a record fills it, and reads more.</summary>
    private (int Start, int End, bool Eof) Refill(ref byte[] buffer, int start, int end)
    {
        var remaining = end - start;
        if (remaining == buffer.Length)
        {
            var bigger = new byte[buffer.Length * 2];
            buffer.AsSpan(start, remaining).CopyTo(bigger);
            buffer = bigger;
        }
        else if (start > 0)
        {
            buffer.AsSpan(start, remaining).CopyTo(buffer);
        }

        var read = input.ReadAtLeast(buffer.AsSpan(remaining), buffer.Length - remaining, throwOnEndOfStream: false);
        return (0, remaining + read, read < buffer.Length - remaining);
    }

    /// <summary>Collects records into <c>[r1,r2,…]</c> and hands each full batch on.</summary>
    private sealed class BatchBuilder(int size, Action<ReadOnlyMemory<byte>, int> emit)
    {
        private readonly ArrayBufferWriter<byte> _json = new(64 * 1024);
        private int _count;

        public void Add(ReadOnlySpan<byte> record)
        {
            _json.Write(_count == 0 ? "["u8 : ","u8);
            _json.Write(record);
            if (++_count == size)
            {
                Flush();
            }
        }

        public void Flush()
        {
            if (_count == 0)
            {
                return;
            }

            _json.Write("]"u8);
            emit(_json.WrittenMemory.ToArray(), _count);
            _json.ResetWrittenCount();
            _count = 0;
        }
    }
}
