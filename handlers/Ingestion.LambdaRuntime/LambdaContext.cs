namespace Ingestion.LambdaRuntime;

/// <summary>What one invocation knows about itself: Amazon.Lambda.Core's <c>ILambdaContext</c>, reduced.</summary>
/// <remarks>
/// The runtime fills it from the <c>invocation/next</c> response headers and the function's environment
/// (<c>AWS_LAMBDA_FUNCTION_NAME</c>, <c>_VERSION</c>, <c>_MEMORY_SIZE</c>, <c>AWS_LAMBDA_LOG_GROUP_NAME</c>,
/// <c>AWS_LAMBDA_LOG_STREAM_NAME</c>). Tests of a handler may build one directly.
/// </remarks>
public sealed class LambdaContext
{
    private readonly TimeProvider _timeProvider;

    /// <param name="awsRequestId">The invocation's request id.</param>
    /// <param name="deadline">When Lambda stops the invocation.</param>
    /// <param name="timeProvider">The clock <see cref="RemainingTime"/> reads; the system clock by default.</param>
    public LambdaContext(string awsRequestId, DateTimeOffset deadline, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(awsRequestId);
        AwsRequestId = awsRequestId;
        Deadline = deadline;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The request id (<c>Lambda-Runtime-Aws-Request-Id</c>), as it appears in the function's log lines.</summary>
    public string AwsRequestId { get; }

    /// <summary>When Lambda stops the invocation (<c>Lambda-Runtime-Deadline-Ms</c>).</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>The time left until <see cref="Deadline"/>; zero once it has passed.</summary>
    public TimeSpan RemainingTime
    {
        get
        {
            var remaining = Deadline - _timeProvider.GetUtcNow();
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }
    }

    /// <summary>The ARN the caller invoked, with its version or alias (<c>Lambda-Runtime-Invoked-Function-Arn</c>).</summary>
    public string InvokedFunctionArn { get; init; } = "";

    /// <summary>The X-Ray tracing header (<c>Lambda-Runtime-Trace-Id</c>), also set as <c>_X_AMZN_TRACE_ID</c>.</summary>
    public string? TraceId { get; init; }

    /// <summary>The client context JSON of an AWS Mobile SDK invocation (<c>Lambda-Runtime-Client-Context</c>), unparsed.</summary>
    public string? ClientContext { get; init; }

    /// <summary>The Cognito identity JSON of an AWS Mobile SDK invocation (<c>Lambda-Runtime-Cognito-Identity</c>), unparsed.</summary>
    public string? CognitoIdentity { get; init; }

    /// <summary>The function's name (<c>AWS_LAMBDA_FUNCTION_NAME</c>).</summary>
    public string FunctionName { get; init; } = "";

    /// <summary>The function's version (<c>AWS_LAMBDA_FUNCTION_VERSION</c>), e.g. <c>$LATEST</c>.</summary>
    public string FunctionVersion { get; init; } = "";

    /// <summary>The memory configured for the function, in MB (<c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>); 0 when unknown.</summary>
    public int MemoryLimitInMB { get; init; }

    /// <summary>The CloudWatch Logs group the function writes to (<c>AWS_LAMBDA_LOG_GROUP_NAME</c>).</summary>
    public string LogGroupName { get; init; } = "";

    /// <summary>The CloudWatch Logs stream of this execution environment (<c>AWS_LAMBDA_LOG_STREAM_NAME</c>).</summary>
    public string LogStreamName { get; init; } = "";
}
