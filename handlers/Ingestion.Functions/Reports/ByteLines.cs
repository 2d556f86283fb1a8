using System.Runtime.CompilerServices;

namespace Ingestion.Functions.Reports;

/// <summary>A stream's lines as bytes, split at '\n' only (as the JSON Lines reader splits them), numbered from 1.</summary>
internal static class ByteLines
{
    /// <remarks>Each line is valid until the next one is asked for.</remarks>
    public static async IAsyncEnumerable<(long Line, ReadOnlyMemory<byte> Text)> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var start = 0;
        var end = 0;
        var line = 0L;
        var eof = false;
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                yield return (++line, buffer.AsMemory(start, newline));
                start += newline + 1;
                continue;
            }

            if (eof)
            {
                if (end > start)
                {
                    yield return (++line, buffer.AsMemory(start, end - start));
                }

                yield break;
            }

            // Keep the partial line at the front and make room for more of it.
            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
            eof = read == 0;
            end += read;
        }
    }
}
