using Microsoft.Win32.SafeHandles;

namespace Ingestion.Functions.Reports;

/// <summary>A temporary file that deletes itself when disposed: blocks appended from any thread, read back by offset.</summary>
/// <remarks>
/// Where SummarizeRun keeps what a run can have millions of (rejected and failed records, the spreadsheet's rows, the
/// report's entries) instead of memory. On Lambda that is <c>/tmp</c>, the function's ephemeral storage, which the
/// CDK app sizes for it. Writing and reading are separate phases: nothing reads a block while blocks are appended.
/// </remarks>
internal sealed class SpoolFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private long _length;

    public SpoolFile()
    {
        _handle = File.OpenHandle(TempPath(), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
    }

    public long Length => Interlocked.Read(ref _length);

    /// <summary>A new file's path in the temporary folder.</summary>
    public static string TempPath() => Path.Combine(Path.GetTempPath(), $"ingest-{Guid.NewGuid():N}.spool");

    /// <summary>A seekable stream on a new temporary file that deletes itself when disposed: what an upload is composed in.</summary>
    public static FileStream CreateStream() =>
        new(TempPath(), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);

    /// <summary>Appends a block and returns its offset; blocks written at once from several threads never overlap.</summary>
    public long Append(ReadOnlySpan<byte> block)
    {
        var offset = Interlocked.Add(ref _length, block.Length) - block.Length;
        RandomAccess.Write(_handle, block, offset);
        return offset;
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>, which must be inside what was appended.</summary>
    public void ReadExactly(Span<byte> buffer, long offset)
    {
        while (buffer.Length > 0)
        {
            var read = RandomAccess.Read(_handle, buffer, offset);
            if (read == 0)
            {
                throw new EndOfStreamException("The spool file ended before the block asked for.");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }

    public void Dispose() => _handle.Dispose();
}
