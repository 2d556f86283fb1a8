using System.Buffers;
using System.Buffers.Binary;

namespace Ingestion.Functions.Reports;

/// <summary>Byte strings kept in a <see cref="SpoolFile"/> in the order they are added, and read back in that order.</summary>
/// <remarks>Memory holds one 64 KiB block being filled, and on reading one block (or one entry, if larger).</remarks>
internal sealed class EntryLog : IDisposable
{
    private const int BlockBytes = 64 * 1024;

    private readonly ArrayBufferWriter<byte> _block = new(BlockBytes);
    private SpoolFile? _file; // created with the first block: an empty log touches no disk

    public long Count { get; private set; }

    public void Add(ReadOnlySpan<byte> entry)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_block.GetSpan(sizeof(int)), entry.Length);
        _block.Advance(sizeof(int));
        _block.Write(entry);
        Count++;
        if (_block.WrittenCount >= BlockBytes)
        {
            Flush();
        }
    }

    /// <summary>Every entry, in the order added; each is valid until the next one is asked for.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Read()
    {
        Flush();
        if (_file is null)
        {
            yield break;
        }

        var reader = new SpoolReader(_file, 0, _file.Length);
        while (reader.Remaining > 0)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(reader.Take(sizeof(int)).Span);
            yield return reader.Take(length);
        }
    }

    public void Dispose() => _file?.Dispose();

    private void Flush()
    {
        if (_block.WrittenCount > 0)
        {
            (_file ??= new SpoolFile()).Append(_block.WrittenSpan);
            _block.ResetWrittenCount();
        }
    }
}

/// <summary>Reads a range of a <see cref="SpoolFile"/> front to back, a 64 KiB block at a time.</summary>
internal sealed class SpoolReader(SpoolFile file, long start, long end)
{
    private byte[] _buffer = new byte[64 * 1024];
    private long _next = start;
    private int _position;
    private int _filled;

    public long Remaining => end - _next + (_filled - _position);

    /// <summary>The next <paramref name="count"/> bytes; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new EndOfStreamException("A spooled entry runs past the end of its range.");
        }

        if (_filled - _position < count)
        {
            // Keep what is left of the block at the front, make room for the entry, fill the rest from the file.
            var left = _filled - _position;
            if (count > _buffer.Length)
            {
                var larger = new byte[Math.Max(count, _buffer.Length * 2)];
                _buffer.AsSpan(_position, left).CopyTo(larger);
                _buffer = larger;
            }
            else
            {
                _buffer.AsSpan(_position, left).CopyTo(_buffer);
            }

            var more = (int)Math.Min(_buffer.Length - left, end - _next);
            file.ReadExactly(_buffer.AsSpan(left, more), _next);
            _next += more;
            _position = 0;
            _filled = left + more;
        }

        var taken = _buffer.AsMemory(_position, count);
        _position += count;
        return taken;
    }
}
