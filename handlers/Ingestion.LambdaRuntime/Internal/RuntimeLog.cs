namespace Ingestion.LambdaRuntime.Internal;

/// <summary>The runtime's own messages: stderr only, so the function's stdout (log and EMF lines) stays as it wrote it.</summary>
internal static class RuntimeLog
{
    public static void Error(string message) => Console.Error.WriteLine($"Ingestion.LambdaRuntime: {message}");
}
