using System.Buffers;
using System.Text.Json;
using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Parsing;
using Ingestion.States.Storage;

namespace Ingestion.States.DistributedMap;

/// <summary>
/// ResultWriter: child execution results streamed to <c>&lt;prefix&gt;/&lt;map run id&gt;/</c> as
/// SUCCEEDED_n.json, FAILED_n.json and PENDING_n.json (JSON arrays, or JSON Lines, of AWS's entry shape), then a
/// manifest.json listing them. Files are cut at a size so memory stays bounded.
/// </summary>
internal sealed class ResultFiles(
    IObjectStorage storage,
    string bucket,
    string folder,
    string mapRunArn,
    int partBytes,
    ResultTransformation transformation,
    ResultOutputType outputType) : IDisposable
{
    private readonly Dictionary<string, Part> _parts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Key, long Size)>> _written = new(StringComparer.Ordinal)
    {
        ["FAILED"] = [],
        ["PENDING"] = [],
        ["SUCCEEDED"] = [],
    };

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, ArrayBufferWriter<byte>> _buffers = new(StringComparer.Ordinal);

    public string ManifestKey => $"{folder}/manifest.json";

    public void Dispose()
    {
        _lock.Dispose();
        foreach (var part in _parts.Values)
        {
            part.Dispose();
        }
    }

    /// <summary>Files an earlier attempt wrote for children that succeeded (redrive keeps them).</summary>
    public void Carry(IEnumerable<(string Key, long Size)> succeededFiles, int nextIndex)
    {
        _written["SUCCEEDED"].AddRange(succeededFiles);
        _parts["SUCCEEDED"] = NewPart(nextIndex, "SUCCEEDED");
    }

    public IReadOnlyList<(string Key, long Size)> SucceededFiles => _written["SUCCEEDED"];

    public int NextSucceededIndex => _parts.TryGetValue("SUCCEEDED", out var part) ? part.Index : 0;

    public async Task AddAsync(ChildRecord record, string category, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            if (!_parts.TryGetValue(category, out var part))
            {
                part = _parts[category] = NewPart(0, category);
            }

            part.Append(record);
            if (part.Buffer.WrittenCount >= partBytes)
            {
                await FlushAsync(category, part, ct);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Writes the open parts and the manifest; returns the manifest key.</summary>
    public async Task<string> CompleteAsync(CancellationToken ct)
    {
        foreach (var (category, part) in _parts)
        {
            if (part.Count > 0)
            {
                await FlushAsync(category, part, ct);
            }
        }

        var manifest = new JObject(
        [
            new("DestinationBucket", new JString(bucket)),
            new("MapRunArn", new JString(mapRunArn)),
            new("ResultFiles", new JObject([.. _written.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => new KeyValuePair<string, JValue>(w.Key,
                new JArray([.. w.Value.Select(f => (JValue)new JObject([new("Key", new JString(f.Key)), new("Size", JNumber.Of(f.Size))]))])))])),
        ]);
        await PutAsync(ManifestKey, manifest.ToUtf8Bytes(), ct);
        return ManifestKey;
    }

    private async Task FlushAsync(string category, Part part, CancellationToken ct)
    {
        var bytes = part.Finish();
        var key = $"{folder}/{category}_{part.Index}.json";
        await PutAsync(key, bytes, ct);
        _written[category].Add((key, bytes.Length));
        // The object is stored: the next part of the category reuses the same buffer.
        _parts[category] = NewPart(part.Index + 1, category);
    }

    private Part NewPart(int index, string category) => new(index, Buffer(category), transformation, outputType == ResultOutputType.JsonLines);

    /// <summary>The one buffer a category's parts are built in, one after another (no new multi-megabyte array per part).</summary>
    private ArrayBufferWriter<byte> Buffer(string category)
    {
        if (!_buffers.TryGetValue(category, out var buffer))
        {
            buffer = _buffers[category] = new ArrayBufferWriter<byte>(64 * 1024);
        }

        buffer.ResetWrittenCount();
        return buffer;
    }

    private async Task PutAsync(string key, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        try
        {
            await storage.PutAsync(bucket, key, bytes, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new StatesException(StatesErrors.ResultWriterFailed, $"Failed to write s3://{bucket}/{key}: {e.Message}");
        }
    }

    /// <summary>One result file being built: entries are serialised as they arrive, never kept as objects.</summary>
    private sealed class Part : IDisposable
    {
        private readonly Utf8JsonWriter _writer;
        private readonly ResultTransformation _transformation;
        private readonly bool _lines;
        private readonly ArrayBufferWriter<byte> _text = new(64 * 1024);

        public Part(int index, ArrayBufferWriter<byte> buffer, ResultTransformation transformation, bool lines)
        {
            Index = index;
            Buffer = buffer;
            _transformation = transformation;
            _lines = lines;
            _writer = new Utf8JsonWriter(Buffer, JWriterOptions.Compact);
            if (!lines)
            {
                _writer.WriteStartArray();
            }
        }

        public int Index { get; }

        public int Count { get; private set; }

        public ArrayBufferWriter<byte> Buffer { get; }

        public void Append(ChildRecord record)
        {
            // COMPACT and FLATTEN keep a succeeded child's output alone (a value read from a Lambda's text is copied
            // as that text); a failed child's entry stays whole, so its Input still says which items it held.
            if (_transformation != ResultTransformation.None && record.Result is { Status: ExecutionStatus.Succeeded, Output: { } output })
            {
                if (_transformation == ResultTransformation.Flatten && output is JArray elements)
                {
                    foreach (var element in elements)
                    {
                        element.WriteTo(_writer);
                        EndEntry();
                    }
                }
                else
                {
                    output.WriteTo(_writer);
                    EndEntry();
                }

                return;
            }

            WriteRecord(record);
            EndEntry();
        }

        private void WriteRecord(ChildRecord record)
        {
            var result = record.Result;
            var status = ExecutionResult.StatusName(result.Status);
            _writer.WriteStartObject();
            if (result.Cause is not null)
            {
                _writer.WriteString("Cause", result.Cause);
            }

            if (result.Error is not null)
            {
                _writer.WriteString("Error", result.Error);
            }

            _writer.WriteString("ExecutionArn", record.Arn);
            WriteJsonString("Input", record.Input);
            _writer.WritePropertyName("InputDetails");
            _writer.WriteStartObject();
            _writer.WriteBoolean("Included", true);
            _writer.WriteEndObject();
            _writer.WriteString("Name", record.Name);
            if (result.Output is not null)
            {
                WriteJsonString("Output", result.Output);
                _writer.WritePropertyName("OutputDetails");
                _writer.WriteStartObject();
                _writer.WriteBoolean("Included", true);
                _writer.WriteEndObject();
            }

            _writer.WriteNumber("RedriveCount", 0);
            var redrivable = result.Status != ExecutionStatus.Succeeded;
            _writer.WriteString("RedriveStatus", redrivable ? "REDRIVABLE_BY_MAP_RUN" : "NOT_REDRIVABLE");
            _writer.WriteString("RedriveStatusReason", redrivable ? "Execution can be redriven by its map run" : $"Execution is {status} and cannot be redriven");
            _writer.WriteString("StartDate", Timestamps.Format(record.StartDate));
            _writer.WriteString("StateMachineArn", record.StateMachineArn);
            _writer.WriteString("Status", status);
            _writer.WriteString("StopDate", Timestamps.Format(record.StopDate));
            _writer.WriteEndObject();
        }

        private void EndEntry()
        {
            _writer.Flush();
            Count++;
            if (_lines)
            {
                // JSON Lines: each entry is a document of its own on one line.
                Buffer.Write("\n"u8);
                _writer.Reset();
            }
        }

        public void Dispose() => _writer.Dispose();

        /// <summary>A value as a JSON string holding its compact JSON text, escaped straight from UTF-8 (AWS's <c>Input</c>/<c>Output</c>).</summary>
        private void WriteJsonString(string name, JValue value)
        {
            var text = value.Utf8Text;
            if (text.IsEmpty)
            {
                _text.ResetWrittenCount();
                using (var writer = new Utf8JsonWriter(_text, JWriterOptions.Compact))
                {
                    value.WriteTo(writer);
                }

                text = _text.WrittenMemory;
            }

            _writer.WriteString(name, text.Span);
        }

        public ReadOnlyMemory<byte> Finish()
        {
            if (!_lines)
            {
                _writer.WriteEndArray();
            }

            _writer.Flush();
            _writer.Dispose();
            return Buffer.WrittenMemory;
        }
    }
}
