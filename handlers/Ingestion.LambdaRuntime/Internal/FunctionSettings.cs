namespace Ingestion.LambdaRuntime.Internal;

/// <summary>What Lambda tells a custom runtime through its environment variables.</summary>
internal sealed record FunctionSettings(
    string? RuntimeApi,
    string? Handler,
    string FunctionName,
    string FunctionVersion,
    int MemoryLimitInMB,
    string LogGroupName,
    string LogStreamName)
{
    public static FunctionSettings Read(Func<string, string?> variable) => new(
        RuntimeApi: variable("AWS_LAMBDA_RUNTIME_API"),
        Handler: variable("_HANDLER"),
        FunctionName: variable("AWS_LAMBDA_FUNCTION_NAME") ?? "",
        FunctionVersion: variable("AWS_LAMBDA_FUNCTION_VERSION") ?? "",
        MemoryLimitInMB: int.TryParse(variable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), out var memory) ? memory : 0,
        LogGroupName: variable("AWS_LAMBDA_LOG_GROUP_NAME") ?? "",
        LogStreamName: variable("AWS_LAMBDA_LOG_STREAM_NAME") ?? "");
}
