using System.Text.Json.Serialization;

namespace Ingestion.Domain;

/// <summary>The base of every failure this library raises on purpose.</summary>
/// <remarks>
/// Step Functions sees the exception's type name as the error name (<c>Retry</c> and <c>Catch</c> match on it),
/// so each subclass is one error a definition can name. <see cref="ToErrorInfo"/> gives the serialized
/// <c>{Error, Cause}</c> shape for any exception.
/// </remarks>
public class IngestionException : Exception
{
    public IngestionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>The error name Step Functions matches on.</summary>
    public string ErrorName => GetType().Name;

    /// <summary>Maps any exception to the <c>{Error, Cause}</c> shape of a failed task.</summary>
    public static ErrorInfo ToErrorInfo(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new ErrorInfo(exception.GetType().Name, exception.Message);
    }
}

/// <summary>An error as Step Functions reports it: a name and a human-readable cause.</summary>
public sealed record ErrorInfo(
    [property: JsonPropertyName("Error")] string Error,
    [property: JsonPropertyName("Cause")] string? Cause)
{
    /// <summary>
    /// The error as a person should read it. A Lambda function's failure reaches Step Functions with the function's
    /// error payload as the cause (<c>{"errorType", "errorMessage", "stackTrace"}</c>); reports and summaries keep
    /// its message and drop the stack trace, which names nothing the registrar can act on.
    /// </summary>
    public static ErrorInfo Readable(string error, string? cause)
    {
        if (cause is not null && cause.StartsWith('{'))
        {
            try
            {
                using var payload = System.Text.Json.JsonDocument.Parse(cause);
                if (payload.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                    && payload.RootElement.TryGetProperty("errorMessage", out var message)
                    && message.ValueKind == System.Text.Json.JsonValueKind.String)
                {
                    return new ErrorInfo(error, message.GetString());
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Not a Lambda error payload: the cause is kept as it came.
            }
        }

        return new ErrorInfo(error, cause);
    }
}

/// <summary>A file that can never be ingested (unsupported extension, over the size limit, invalid key): quarantine it.</summary>
/// <remarks>The message starts with the code (<c>FILE_TOO_LARGE: The file is …</c>): it is what reaches the report, as the error's cause.</remarks>
public sealed class FileRejectedException(string code, string message) : IngestionException($"{code}: {message}")
{
    /// <summary>Machine-readable reason, e.g. <c>UNSUPPORTED_EXTENSION</c>, <c>FILE_TOO_LARGE</c>, <c>INVALID_KEY</c>.</summary>
    public string Code { get; } = code;
}

/// <summary>The input a handler received does not have the documented shape (see handlers/README.md).</summary>
public sealed class InvalidHandlerInputException(string message, Exception? innerException = null)
    : IngestionException(message, innerException);

/// <summary>A backend named in the configuration is not built yet, or a setting is wrong.</summary>
public sealed class ConfigurationException(string message) : IngestionException(message);
