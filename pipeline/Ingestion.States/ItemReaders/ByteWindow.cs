using System.Buffers;

namespace Ingestion.States.ItemReaders;

/// <summary>
/// A pooled, growable window over a stream: readers parse what is buffered and ask for more,
/// so memory follows the largest item, never the file.
/// </summary>
internal sealed class ByteWindow(Stream stream, int initialSize = 64 * 1024) : IDisposable
{
    /// <summary>Items larger than this are refused rather than buffered without bound.</summary>
    public const int MaxItemBytes = 16 * 1024 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialSize);
    private int _start;
    private int _end;
    private long _newlinesConsumed;
    private long _lineStart; // absolute offset of the first byte of the line Data starts on

    public bool Eof { get; private set; }

    /// <summary>Absolute offset in the stream of <see cref="Data"/>'s first byte.</summary>
    public long Offset { get; private set; }

    public ReadOnlySpan<byte> Data => _buffer.AsSpan(_start, _end - _start);

    public void Consume(int count)
    {
        var consumed = Data[..count];
        _newlinesConsumed += consumed.Count((byte)'\n');
        if (consumed.LastIndexOf((byte)'\n') is var newline and >= 0)
        {
            _lineStart = Offset + newline + 1;
        }

        _start += count;
        Offset += count;
    }

    /// <summary>The 1-based line of the byte at <paramref name="index"/> in <see cref="Data"/>, for error messages.</summary>
    public long LineAt(int index) => _newlinesConsumed + Data[..index].Count((byte)'\n') + 1;

    /// <summary>
    /// Where the byte at <paramref name="index"/> in <see cref="Data"/> is: <c>line 3, column 14</c>, both counted from 1
    /// (the column in bytes, as System.Text.Json counts it).
    /// </summary>
    public string PositionAt(int index)
    {
        var newline = Data[..index].LastIndexOf((byte)'\n');
        var lineStart = newline >= 0 ? Offset + newline + 1 : _lineStart;
        return $"line {LineAt(index)}, column {Offset + index - lineStart + 1}";
    }

    /// <summary>Reads more bytes; returns false at the end of the stream.</summary>
    public async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        if (Eof)
        {
            return false;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxItemBytes)
            {
                throw new InvalidDataException($"an item is larger than {MaxItemBytes} bytes");
            }

            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
        if (read == 0)
        {
            Eof = true;
            return false;
        }

        _end += read;
        return true;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
