using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ingestion.Handlers.Functions;

/// <summary>Building a function's output stream.</summary>
internal static class FunctionOutput
{
    public static Stream Serialize<T>(T value, JsonTypeInfo<T> type)
    {
        var stream = new MemoryStream();
        JsonSerializer.Serialize(stream, value, type);
        stream.Position = 0;
        return stream;
    }

    public static Stream Write(Action<Utf8JsonWriter> write)
    {
        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        stream.Position = 0;
        return stream;
    }
}
