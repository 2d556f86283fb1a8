namespace Ingestion.LambdaRuntime.Internal;

/// <summary>The Runtime API cannot be reached or answered that the runtime must exit (a 5xx, a malformed event).</summary>
internal sealed class RuntimeApiException(string message, Exception? innerException = null) : Exception(message, innerException);
