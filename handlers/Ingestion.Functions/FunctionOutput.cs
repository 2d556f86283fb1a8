using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ingestion.Functions;

/// <summary>Building a function's output stream.</summary>
/// <remarks>
/// Outputs are JSON for Step Functions, never embedded in HTML: text is escaped only where JSON requires it
/// (<c>\"</c>, not <c>\u0022</c>; <c>é</c> stays UTF-8), which keeps a batch's payload small and its strings plain.
/// The text is built in a buffer reused by the thread, then copied once into an array of its exact size, which the
/// returned stream exposes (<see cref="MemoryStream.TryGetBuffer"/>) so an in-process caller can keep it without
/// another copy.
/// </remarks>
internal static class FunctionOutput
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _scratch;

    public static Stream Serialize<T>(T value, JsonTypeInfo<T> type) =>
        Write(writer => JsonSerializer.Serialize(writer, value, type));

    public static Stream Write(Action<Utf8JsonWriter> write)
    {
        var buffer = _scratch ??= new ArrayBufferWriter<byte>(64 * 1024);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 4 * 1024 * 1024)
        {
            // An exceptional output (a huge report) does not keep its buffer alive on this thread.
            _scratch = null;
        }

        return new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
    }
}
