using System.Buffers;
using System.Buffers.Binary;

namespace Ingestion.Functions.Reports;

/// <summary>A run's records of one kind (rejected, failed), each with its index in the file, kept on disk and read back in index order.</summary>
/// <remarks>
/// Batches finish in any order, so the ResultWriter lists them in any order; within a batch the records are in index
/// order. Each batch's records are appended as one run, and memory keeps only where each run is (24 bytes for up to
/// 80 records), never the records. Reading merges the runs by index, opening a run when the merge reaches its first
/// index: batches cover ranges of the file that do not overlap, so one run is open at a time (overlapping runs, which
/// the pipeline does not make, would be merged all the same).
/// </remarks>
internal sealed class IndexedSpool : IDisposable
{
    private readonly SpoolFile _file = new();
    private readonly List<Run> _runs = [];
    private readonly Lock _gate = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Appends one batch's records (the builder is left empty); safe to call from several threads.</summary>
    public void Append(RunBuilder run)
    {
        if (run.Count == 0)
        {
            return;
        }

        var (first, bytes) = run.Take();
        var offset = _file.Append(bytes.Span);
        lock (_gate)
        {
            _runs.Add(new Run(first, offset, bytes.Length));
        }

        Interlocked.Add(ref _count, run.TakenCount);
    }

    /// <summary>Every record, lowest index first (records of equal index in the order their runs were appended); each is valid until the next is asked for.</summary>
    public IEnumerable<(long Index, ReadOnlyMemory<byte> Json)> ReadInIndexOrder()
    {
        List<Run> runs;
        lock (_gate)
        {
            runs = [.. _runs.Select((run, order) => run with { Order = order }).OrderBy(run => run.First).ThenBy(run => run.Order)];
        }

        var open = new PriorityQueue<RunCursor, (long Index, int Order)>();
        var next = 0;
        try
        {
            while (true)
            {
                // Open every run that starts at or before the lowest index open now: only runs that overlap are open together.
                while (next < runs.Count && (!open.TryPeek(out _, out var lowest) || runs[next].First <= lowest.Index))
                {
                    var cursor = new RunCursor(_file, runs[next]);
                    next++;
                    if (cursor.MoveNext())
                    {
                        open.Enqueue(cursor, (cursor.Index, cursor.Run.Order));
                    }
                }

                if (!open.TryDequeue(out var current, out _))
                {
                    yield break;
                }

                yield return (current.Index, current.Json);

                // The next record was asked for: the one handed over may go.
                if (current.MoveNext())
                {
                    open.Enqueue(current, (current.Index, current.Run.Order));
                }
                else
                {
                    current.Dispose();
                }
            }
        }
        finally
        {
            while (open.TryDequeue(out var left, out _))
            {
                left.Dispose();
            }
        }
    }

    public void Dispose() => _file.Dispose();

    private readonly record struct Run(long First, long Offset, int Length, int Order = 0);

    /// <summary>One run read whole into a pooled buffer (at most what one batch's output held), record by record.</summary>
    private sealed class RunCursor : IDisposable
    {
        private byte[]? _bytes;
        private int _position;

        public RunCursor(SpoolFile file, Run run)
        {
            Run = run;
            _bytes = ArrayPool<byte>.Shared.Rent(run.Length);
            file.ReadExactly(_bytes.AsSpan(0, run.Length), run.Offset);
        }

        public Run Run { get; }

        public long Index { get; private set; }

        public ReadOnlyMemory<byte> Json { get; private set; }

        public bool MoveNext()
        {
            if (_bytes is null || _position >= Run.Length)
            {
                return false;
            }

            Index = BinaryPrimitives.ReadInt64LittleEndian(_bytes.AsSpan(_position));
            var length = BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan(_position + sizeof(long)));
            Json = _bytes.AsMemory(_position + sizeof(long) + sizeof(int), length);
            _position += sizeof(long) + sizeof(int) + length;
            return true;
        }

        public void Dispose()
        {
            if (_bytes is not null)
            {
                ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = null;
            }
        }
    }
}

/// <summary>One batch's records for an <see cref="IndexedSpool"/>, collected in memory (a batch's output is at most 256 KiB) and put in index order.</summary>
internal sealed class RunBuilder
{
    private readonly ArrayBufferWriter<byte> _records = new(4 * 1024);
    private readonly List<(long Index, int Start, int Length)> _entries = [];
    private readonly ArrayBufferWriter<byte> _sorted = new(4 * 1024);
    private bool _inOrder = true;

    public int Count => _entries.Count;

    /// <summary>How many records the last <see cref="Take"/> handed over.</summary>
    public int TakenCount { get; private set; }

    public void Add(long index, ReadOnlySpan<byte> json)
    {
        if (_entries.Count > 0 && index < _entries[^1].Index)
        {
            _inOrder = false;
        }

        _entries.Add((index, _records.WrittenCount, json.Length));
        _records.Write(json);
    }

    /// <summary>The run's first index and its bytes (index, length, JSON per record, lowest index first); the builder is then empty, its bytes valid until it is used again.</summary>
    public (long First, ReadOnlyMemory<byte> Bytes) Take()
    {
        if (!_inOrder)
        {
            // Stable: records of equal index keep the order they came in.
            _entries.Sort((a, b) => a.Index != b.Index ? a.Index.CompareTo(b.Index) : a.Start.CompareTo(b.Start));
        }

        _sorted.ResetWrittenCount();
        foreach (var (index, start, length) in _entries)
        {
            var header = _sorted.GetSpan(sizeof(long) + sizeof(int));
            BinaryPrimitives.WriteInt64LittleEndian(header, index);
            BinaryPrimitives.WriteInt32LittleEndian(header[sizeof(long)..], length);
            _sorted.Advance(sizeof(long) + sizeof(int));
            _sorted.Write(_records.WrittenSpan.Slice(start, length));
        }

        var first = _entries[0].Index;
        TakenCount = _entries.Count;
        _entries.Clear();
        _records.ResetWrittenCount();
        _inOrder = true;
        return (first, _sorted.WrittenMemory);
    }
}
