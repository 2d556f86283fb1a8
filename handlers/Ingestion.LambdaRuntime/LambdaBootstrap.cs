using System.Diagnostics.CodeAnalysis;
using Ingestion.LambdaRuntime.Internal;

namespace Ingestion.LambdaRuntime;

/// <summary>
/// The event loop of a Lambda custom runtime (<c>provided.al2023</c>): our stand-in for Amazon.Lambda.RuntimeSupport's
/// <c>LambdaBootstrap</c>, which is not available here.
/// </summary>
/// <remarks>
/// <para>
/// A function's <c>bootstrap</c> executable calls <see cref="RunAsync(IReadOnlyDictionary{string, Func{LambdaHandler}}, CancellationToken)"/>
/// from <c>Main</c> and returns its result as the exit code. One executable can serve several functions: the
/// function's handler setting (<c>_HANDLER</c>) names the one to run.
/// </para>
/// <para>
/// Initialisation: the runtime reads <c>AWS_LAMBDA_RUNTIME_API</c> and <c>_HANDLER</c> and calls that handler's
/// factory once. An unknown handler (<c>Runtime.HandlerNotFound</c>) or a factory that throws is reported to
/// <c>init/error</c>, and the runtime exits with 1.
/// </para>
/// <para>
/// Then, one invocation at a time: <c>invocation/next</c>; <c>_X_AMZN_TRACE_ID</c> set to the invocation's trace
/// header; the handler called with a token that fires at the deadline; its stream posted as the response, or its
/// exception posted as the error (<c>errorType</c> from <see cref="ILambdaErrorType"/> or the exception's type name).
/// </para>
/// <para>
/// The runtime never writes to stdout, which Lambda sends to CloudWatch Logs as written (EMF lines included); it
/// writes to stderr only when it gives up or the Runtime API rejects a result.
/// </para>
/// </remarks>
public static class LambdaBootstrap
{
    /// <summary>The environment variable the AWS SDK and X-Ray read the invocation's trace header from.</summary>
    internal const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>Runs the function named by <c>_HANDLER</c> until the Runtime API fails or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="handlers">Handler setting → factory of that function's handler, called once at initialisation.</param>
    /// <param name="cancellationToken">Stops the loop (e.g. from a SIGTERM handler the caller registers); the invocation in flight is cancelled too.</param>
    /// <returns>The process exit code: 0 when stopped by <paramref name="cancellationToken"/>, 1 when the function
    /// could not start or the Runtime API failed.</returns>
    public static Task<int> RunAsync(IReadOnlyDictionary<string, Func<LambdaHandler>> handlers, CancellationToken cancellationToken = default) =>
        RunAsync(handlers, Environment.GetEnvironmentVariable, TimeProvider.System, cancellationToken);

    /// <summary>As the public overload, with the environment and the clock given (tests).</summary>
    internal static async Task<int> RunAsync(
        IReadOnlyDictionary<string, Func<LambdaHandler>> handlers,
        Func<string, string?> environment,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var settings = FunctionSettings.Read(environment);
        if (string.IsNullOrEmpty(settings.RuntimeApi))
        {
            RuntimeLog.Error("AWS_LAMBDA_RUNTIME_API is not set: this program is a Lambda custom runtime's bootstrap.");
            return 1;
        }

        try
        {
            using var client = new RuntimeApiClient(settings.RuntimeApi);
            if (!TryInitialize(handlers, settings.Handler, out var handler, out var initError))
            {
                RuntimeLog.Error($"The function could not start: {initError.ErrorType}: {initError.ErrorMessage}");
                await client.PostInitErrorAsync(initError, cancellationToken);
                return 1;
            }

            while (true)
            {
                var invocation = await client.NextAsync(cancellationToken);
                await InvokeAsync(client, handler, invocation, settings, timeProvider, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (RuntimeApiException e)
        {
            RuntimeLog.Error(e.Message);
            return 1;
        }
    }

    private static bool TryInitialize(
        IReadOnlyDictionary<string, Func<LambdaHandler>> handlers,
        string? handlerSetting,
        [NotNullWhen(true)] out LambdaHandler? handler,
        [NotNullWhen(false)] out LambdaError? error)
    {
        handler = null;
        error = null;
        if (string.IsNullOrEmpty(handlerSetting) || !handlers.TryGetValue(handlerSetting, out var factory))
        {
            var known = string.Join(", ", handlers.Keys.Order(StringComparer.Ordinal));
            error = new LambdaError(
                "Runtime.HandlerNotFound",
                $"The handler setting (_HANDLER) is '{handlerSetting}'; this bootstrap serves: {known}.",
                []);
            return false;
        }

        try
        {
            handler = factory();
        }
        catch (Exception e)
        {
            // Whatever the function's initialisation throws is the init error Lambda reports.
            error = LambdaError.FromException(e);
            return false;
        }

        return true;
    }

    private static async Task InvokeAsync(
        RuntimeApiClient client,
        LambdaHandler handler,
        Invocation invocation,
        FunctionSettings settings,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
        var context = new LambdaContext(invocation.RequestId, invocation.Deadline, timeProvider)
        {
            InvokedFunctionArn = invocation.InvokedFunctionArn,
            TraceId = invocation.TraceId,
            ClientContext = invocation.ClientContext,
            CognitoIdentity = invocation.CognitoIdentity,
            FunctionName = settings.FunctionName,
            FunctionVersion = settings.FunctionVersion,
            MemoryLimitInMB = settings.MemoryLimitInMB,
            LogGroupName = settings.LogGroupName,
            LogStreamName = settings.LogStreamName,
        };

        using var deadline = DeadlineSource(invocation.Deadline, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        using var input = new MemoryStream(invocation.Payload, writable: false);
        Stream? output;
        try
        {
            output = await handler(input, context, linked.Token);
        }
        catch (Exception e)
        {
            // Any exception from the function is its invocation's error; the loop goes on with the next event.
            // (Once the loop is stopped, the post is cancelled and RunAsync returns 0.)
            await client.PostErrorAsync(invocation.RequestId, LambdaError.FromException(e), cancellationToken);
            return;
        }

        await using (output)
        {
            await client.PostResponseAsync(invocation.RequestId, output ?? Stream.Null, cancellationToken);
        }
    }

    /// <summary>A source cancelled at the deadline on <paramref name="timeProvider"/>'s clock (at once if it has passed).</summary>
    private static CancellationTokenSource DeadlineSource(DateTimeOffset deadline, TimeProvider timeProvider)
    {
        var remaining = deadline - timeProvider.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            var expired = new CancellationTokenSource();
            expired.Cancel();
            return expired;
        }

        // CancellationTokenSource accepts delays up to uint.MaxValue - 1 ms (~49 days); a later or absent deadline never fires.
        return remaining < TimeSpan.FromDays(49)
            ? new CancellationTokenSource(remaining, timeProvider)
            : new CancellationTokenSource();
    }
}
