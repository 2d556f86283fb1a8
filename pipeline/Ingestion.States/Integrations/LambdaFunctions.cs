using System.Diagnostics.CodeAnalysis;
using Ingestion.States.Json;

namespace Ingestion.States.Integrations;

/// <summary>A function that takes the invocation payload as a stream and returns the response payload.</summary>
public delegate Task<Stream> StreamFunction(Stream payload, CancellationToken cancellationToken);

/// <summary>A function that takes and returns JSON values.</summary>
public delegate ValueTask<JValue> JsonFunction(JValue payload, CancellationToken cancellationToken);

/// <summary>
/// The Lambda functions an execution can invoke, by name. Lookups accept what Lambda accepts as
/// FunctionName: a name, a name with a qualifier, a partial ARN or a full ARN.
/// </summary>
public sealed class LambdaFunctions
{
    /// <summary>The optimised integration's resource, <c>arn:aws:states:::lambda:invoke</c>.</summary>
    public const string InvokeResource = LambdaIntegration.InvokeResource;

    private readonly Dictionary<string, JsonFunction> _functions = new(StringComparer.Ordinal);

    public LambdaFunctions Register(string nameOrArn, JsonFunction function)
    {
        _functions[NameOf(nameOrArn)] = function;
        return this;
    }

    public LambdaFunctions Register(string nameOrArn, Func<JValue, JValue> function) =>
        Register(nameOrArn, (payload, _) => ValueTask.FromResult(function(payload)));

    /// <summary>Registers a stream handler, the shape of a managed-runtime Lambda entry point.</summary>
    /// <remarks>
    /// The payload crosses as JSON text both ways, as it does to Lambda. The response is kept as the text it is
    /// (<see cref="JParser.ParseLazy"/>): a definition that only passes it on (OutputPath, <c>Payload.$</c>) copies
    /// it to the next function without ever building a tree.
    /// </remarks>
    public LambdaFunctions Register(string nameOrArn, StreamFunction function) =>
        Register(nameOrArn, async (payload, ct) =>
        {
            using var request = PayloadText.Of(payload);
            using var input = request.Open();
            await using var output = await function(input, ct);
            if (output is MemoryStream { Position: 0 } memory && memory.TryGetBuffer(out var written))
            {
                // The function handed its buffer over with the stream: keep it, no copy.
                return ParsePayload(written.AsMemory());
            }

            using var buffer = new MemoryStream();
            await output.CopyToAsync(buffer, ct);
            return ParsePayload(buffer.ToArray());
        });

    public bool TryGet(string nameOrArn, [NotNullWhen(true)] out JsonFunction? function) =>
        _functions.TryGetValue(NameOf(nameOrArn), out function);

    /// <summary>The function name inside any of Lambda's accepted forms.</summary>
    public static string NameOf(string nameOrArn)
    {
        var parts = nameOrArn.Split(':');
        // arn:aws:lambda:region:account:function:name[:qualifier]
        if (parts.Length >= 7 && parts[0] == "arn")
        {
            return parts[6];
        }

        // account:function:name[:qualifier]
        if (parts.Length >= 3 && parts[1] == "function")
        {
            return parts[2];
        }

        // name[:qualifier]
        return parts[0];
    }

    /// <summary>A response that is not JSON arrives as a string, as Step Functions shows it.</summary>
    /// <remarks>The bytes must not change afterwards: a JSON object or array keeps them as its text.</remarks>
    internal static JValue ParsePayload(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return JValue.Null;
        }

        try
        {
            return JParser.ParseLazy(bytes);
        }
        catch (System.Text.Json.JsonException)
        {
            return new JString(System.Text.Encoding.UTF8.GetString(bytes.Span));
        }
    }
}

/// <summary>
/// A payload's JSON text for one invocation: the text a lazy value already keeps (no copy), or the value written
/// into a pooled buffer that goes back to the pool once the function has returned.
/// </summary>
internal readonly struct PayloadText : IDisposable
{
    private readonly ReadOnlyMemory<byte> _text;
    private readonly System.Buffers.ArrayBufferWriter<byte>? _pooled;

    private PayloadText(ReadOnlyMemory<byte> text, System.Buffers.ArrayBufferWriter<byte>? pooled)
    {
        _text = text;
        _pooled = pooled;
    }

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? _spare;

    public static PayloadText Of(JValue payload)
    {
        if (!payload.Utf8Text.IsEmpty)
        {
            return new PayloadText(payload.Utf8Text, null);
        }

        var buffer = _spare ?? new System.Buffers.ArrayBufferWriter<byte>(Math.Max(256, payload.Utf8Length));
        _spare = null;
        buffer.ResetWrittenCount();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, JWriterOptions.Compact))
        {
            payload.WriteTo(writer);
        }

        return new PayloadText(buffer.WrittenMemory, buffer);
    }

    /// <summary>A read-only stream over the text, whose buffer a function may read in place (TryGetBuffer).</summary>
    public MemoryStream Open() => System.Runtime.InteropServices.MemoryMarshal.TryGetArray(_text, out var segment)
        ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false, publiclyVisible: true)
        : new MemoryStream(_text.ToArray(), writable: false);

    public void Dispose()
    {
        if (_pooled is not null && _pooled.Capacity <= 4 * 1024 * 1024)
        {
            // Kept for the next invocation on whichever thread ends this one.
            _spare = _pooled;
        }
    }
}
