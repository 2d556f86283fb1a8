using System.Text.Json;
using Ingestion.Domain.Storage;
using Ingestion.Functions.Reports;

namespace Ingestion.Functions;

/// <summary>A Distributed Map's ResultWriter output, as AWS lays it out: a manifest naming result files, each a list of child executions.</summary>
/// <remarks>
/// <c>manifest.json</c> lists result files under <c>ResultFiles.SUCCEEDED/FAILED/PENDING</c>; each file is a JSON
/// array (OutputType JSON) or JSON Lines (JSONL) of entries: a child's execution record, or with WriterConfig
/// Transformation COMPACT a succeeded child's output alone. A result file can be gigabytes: it is read as a stream,
/// one entry at a time.
/// </remarks>
internal static class ResultFiles
{
    private static readonly string[] Groups = ["SUCCEEDED", "FAILED", "PENDING"];

    /// <summary>The bucket the result files are in and every result file with its group, in the manifest's order.</summary>
    public static async Task<(string Destination, List<(string Group, string Key)> Parts)> ReadManifestAsync(
        IObjectStore objects, ManifestLocation location, CancellationToken cancellationToken)
    {
        JsonDocument manifest;
        await using (var content = await TransientStorage.ReadAsync(() => objects.GetAsync(location.Bucket, location.Key, cancellationToken: cancellationToken), cancellationToken))
        {
            manifest = await JsonDocument.ParseAsync(content.Content, JsonInput.Options, cancellationToken);
        }

        using (manifest)
        {
            var destination = JsonInput.OptionalString(manifest.RootElement, "DestinationBucket") ?? location.Bucket;
            var files = JsonInput.Required(manifest.RootElement, "ResultFiles");
            var parts = new List<(string Group, string Key)>();
            foreach (var group in Groups)
            {
                if (files.TryGetProperty(group, out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    parts.AddRange(list.EnumerateArray().Select(resultFile => (group, JsonInput.RequiredString(resultFile, "Key"))));
                }
            }

            return (destination, parts);
        }
    }

    /// <summary>Hands every entry of a result file to <paramref name="entry"/>, in the file's order; each is valid during the call only.</summary>
    public static async Task ReadEntriesAsync(IObjectStore objects, string bucket, string key, Action<JsonElement> entry, CancellationToken cancellationToken)
    {
        await using var content = await TransientStorage.ReadAsync(() => objects.GetAsync(bucket, key, cancellationToken: cancellationToken), cancellationToken);
        var (first, stream) = await PeekedStream.OpenAsync(content.Content, cancellationToken);
        if (first == '[')
        {
            await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable(stream, FunctionsJsonContext.Default.JsonElement, cancellationToken))
            {
                entry(element);
            }

            return;
        }

        // OutputType JSONL: one execution per line.
        await foreach (var (_, line) in ByteLines.ReadAsync(stream, cancellationToken))
        {
            if (line.Span.Trim(" \t\r"u8).Length > 0)
            {
                using var document = JsonDocument.Parse(line, JsonInput.Options);
                entry(document.RootElement);
            }
        }
    }
}

/// <summary>A stream whose first non-blank byte was looked at, read again from its start (what was looked at is kept, not read twice).</summary>
internal sealed class PeekedStream(byte[] prefix, int prefixLength, Stream rest) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The first byte that is not JSON whitespace (-1 for none) and the stream to read from, that byte included.</summary>
    public static async Task<(int First, Stream Stream)> OpenAsync(Stream content, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var read = await content.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return (-1, content);
            }

            // Whitespace alone is dropped: JSON readers skip it anyway.
            var start = buffer.AsSpan(0, read).IndexOfAnyExcept(" \t\r\n"u8);
            if (start >= 0)
            {
                buffer.AsSpan(start, read - start).CopyTo(buffer);
                return (buffer[0], new PeekedStream(buffer, read - start, content));
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position < prefixLength)
        {
            var n = Math.Min(buffer.Length, prefixLength - _position);
            prefix.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        return rest.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < prefixLength)
        {
            return Read(buffer.Span);
        }

        return await rest.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
