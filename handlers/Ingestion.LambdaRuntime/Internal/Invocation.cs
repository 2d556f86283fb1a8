namespace Ingestion.LambdaRuntime.Internal;

/// <summary>One event from <c>GET /runtime/invocation/next</c>: its headers and its payload.</summary>
internal sealed record Invocation(
    string RequestId,
    DateTimeOffset Deadline,
    string InvokedFunctionArn,
    string? TraceId,
    string? ClientContext,
    string? CognitoIdentity,
    byte[] Payload);
