using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ingestion.LambdaRuntime.Internal;

/// <summary>An invocation or initialisation error as the Runtime API takes it.</summary>
/// <remarks>
/// Serialized as <c>{"errorType", "errorMessage", "stackTrace": [lines], "cause": {…}}</c>; <c>cause</c> describes the
/// inner exception, if any, the same way. Lambda hands the whole document to Step Functions as the error's cause,
/// and <c>errorType</c> as its name.
/// </remarks>
internal sealed record LambdaError(string ErrorType, string ErrorMessage, IReadOnlyList<string> StackTrace, LambdaError? Cause = null)
{
    /// <summary>Inner exceptions deeper than this are left out of the payload.</summary>
    private const int MaxCauseDepth = 4;

    private static readonly char[] LineBreaks = ['\r', '\n'];

    // The payload is read by people (Step Functions shows it as the error's cause), never embedded in HTML:
    // compiler-generated names such as <Main>b__0 stay readable instead of \u003CMain\u003E.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Maps any exception to the error Lambda reports for it.</summary>
    public static LambdaError FromException(Exception exception) => FromException(exception, depth: 0);

    /// <summary>
    /// The header <c>Lambda-Runtime-Function-Error-Type</c>: the error type when it is a valid header value,
    /// else <c>Unhandled</c> (the value AWS's own examples use).
    /// </summary>
    public string HeaderValue =>
        ErrorType.Length > 0 && ErrorType.All(c => c is > ' ' and < '\u007f') ? ErrorType : "Unhandled";

    public byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static LambdaError FromException(Exception exception, int depth)
    {
        var errorType = exception is ILambdaErrorType { ErrorType: { Length: > 0 } chosen } ? chosen : exception.GetType().Name;
        var stackTrace = exception.StackTrace?.Split(LineBreaks, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            ?? [];
        var cause = exception.InnerException is { } inner && depth < MaxCauseDepth ? FromException(inner, depth + 1) : null;
        return new LambdaError(errorType, exception.Message, stackTrace, cause);
    }

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("errorType", ErrorType);
        writer.WriteString("errorMessage", ErrorMessage);
        writer.WriteStartArray("stackTrace");
        foreach (var line in StackTrace)
        {
            writer.WriteStringValue(line);
        }

        writer.WriteEndArray();
        if (Cause is not null)
        {
            writer.WritePropertyName("cause");
            Cause.Write(writer);
        }

        writer.WriteEndObject();
    }
}
