using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Ingestion.LambdaRuntime.Tests.Support;
using Ingestion.Rehearsal.Lambda;

namespace Ingestion.LambdaRuntime.Tests;

/// <summary>
/// The runtime against an emulated Runtime API over loopback HTTP. The tests of this class run one at a time
/// (xunit's default within a class), which the process-wide <c>_X_AMZN_TRACE_ID</c> needs.
/// </summary>
public sealed class LambdaBootstrapTests : IAsyncLifetime
{
    /// <summary>Fails a test that hangs; no outcome is decided by it.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private RuntimeApiEmulator _emulator = null!;

    public Task InitializeAsync()
    {
        _emulator = RuntimeApiEmulator.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task Response_arrives_for_the_request_id()
    {
        var runtime = Start("Echo", Echo);
        _emulator.Enqueue(new EmulatedEvent("request-1", """{"name":"students.json"}"""));

        var result = await _emulator.ResultOf("request-1").WaitAsync(Guard);

        Assert.False(result.IsError);
        Assert.Equal("""echo {"name":"students.json"}""", result.Text);
        Assert.Equal(result.Body.Length, result.ContentLength);
        Assert.Equal(0, await runtime.StopAsync());
    }

    [Fact]
    public async Task Response_from_a_non_seekable_stream_arrives_whole()
    {
        // A decompressing stream stands for any stream without a length: the runtime buffers it and sends it whole.
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionMode.Compress, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("""{"counts":{"received":3}}"""));
        }

        var runtime = Start((_, _, _) =>
        {
            compressed.Position = 0;
            return Task.FromResult<Stream>(new GZipStream(compressed, CompressionMode.Decompress));
        });
        _emulator.Enqueue(new EmulatedEvent("request-1", "{}"));

        var result = await _emulator.ResultOf("request-1").WaitAsync(Guard);

        Assert.Equal("""{"counts":{"received":3}}""", result.Text);
        Assert.Equal(result.Body.Length, result.ContentLength);
        Assert.Equal(0, await runtime.StopAsync());
    }

    [Fact]
    public async Task Response_refused_by_the_runtime_api_is_skipped_and_the_loop_goes_on()
    {
        var runtime = Start("Echo", Echo);
        _emulator.Enqueue(new EmulatedEvent("too-large", "x") { ResultStatus = HttpStatusCode.RequestEntityTooLarge });
        _emulator.Enqueue(new EmulatedEvent("next", "ok"));

        var refused = await _emulator.ResultOf("too-large").WaitAsync(Guard);
        var next = await _emulator.ResultOf("next").WaitAsync(Guard);

        Assert.Equal("echo x", refused.Text);
        Assert.Equal("echo ok", next.Text);
        Assert.False(runtime.Exit.IsCompleted);
        Assert.Equal(0, await runtime.StopAsync());
    }

    [Fact]
    public async Task Error_carries_the_exception_type_name_message_and_stack_trace()
    {
        var runtime = Start(static (_, _, _) => throw new KeyNotFoundException("No student S-1007"));
        _emulator.Enqueue(new EmulatedEvent("request-1", "{}"));

        var result = await _emulator.ResultOf("request-1").WaitAsync(Guard);

        Assert.True(result.IsError);
        Assert.Equal("KeyNotFoundException", result.ErrorTypeHeader);
        Assert.Equal("application/json", result.ContentType);
        using var error = JsonDocument.Parse(result.Body);
        Assert.Equal("KeyNotFoundException", error.RootElement.GetProperty("errorType").GetString());
        Assert.Equal("No student S-1007", error.RootElement.GetProperty("errorMessage").GetString());
        var stackTrace = error.RootElement.GetProperty("stackTrace").EnumerateArray().Select(line => line.GetString()!).ToList();
        Assert.NotEmpty(stackTrace);
        Assert.All(stackTrace, line => Assert.StartsWith("at ", line, StringComparison.Ordinal));
        Assert.False(error.RootElement.TryGetProperty("cause", out _));
        Assert.Equal(0, await runtime.StopAsync());
    }

    [Fact]
    public async Task Error_type_chosen_by_the_exception()
    {
        var runtime = Start(static (_, _, _) => throw new NamedFailure("States.DataLimitExceeded", "too big"));
        _emulator.Enqueue(new EmulatedEvent("request-1", "{}"));

        var result = await _emulator.ResultOf("request-1").WaitAsync(Guard);

        using var error = JsonDocument.Parse(result.Body);
        Assert.Equal("States.DataLimitExceeded", error.RootElement.GetProperty("errorType").GetString());
        Assert.Equal("States.DataLimitExceeded", result.ErrorTypeHeader);
        Assert.Equal(0, await runtime.StopAsync());
    }

    [Fact]
    public async Task Error_inner_exception_becomes_the_cause()
    {
        var runtime = Start(static (input, _, _) =>
        {
            try
            {
                JsonDocument.Parse(input).Dispose();
                throw new System.Diagnostics.UnreachableException();
            }
            catch (JsonException e)
            {
                throw new InvalidDataException("The input is not JSON", e);
            }
        });
        _emulator.Enqueue(new EmulatedEvent("request-1", "not json"));

        var result = await _emulator.ResultOf("request-1").WaitAsync(Guard);

        using var error = JsonDocument.Parse(result.Body);
        Assert.Equal("InvalidDataException", error.RootElement.GetProperty("errorType").GetString());
        var cause = error.RootElement.GetProperty("cause");
        Assert.Equal("JsonReaderException", cause.GetProperty("errorType").GetString());
        Assert.NotEmpty(cause.GetProperty("stackTrace").EnumerateArray());
        Assert.Equal(0, await runtime.StopAsync());
    }

    [Theory]
    [InlineData("Unknown")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Init_unknown_handler_posts_init_error_and_exits_non_zero(string? handlerSetting)
    {
        var runtime = Start(handlerSetting, Echo);

        Assert.Equal(1, await runtime.Exit);
        var initError = await _emulator.InitError.WaitAsync(Guard);
        Assert.Equal("Runtime.HandlerNotFound", initError.ErrorTypeHeader);
        using var error = JsonDocument.Parse(initError.Body);
        Assert.Equal("Runtime.HandlerNotFound", error.RootElement.GetProperty("errorType").GetString());
        Assert.Contains("Echo", error.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _emulator.NextCalls);
    }

    [Fact]
    public async Task Init_handler_factory_throwing_posts_init_error_and_exits_non_zero()
    {
        var handlers = new Dictionary<string, Func<LambdaHandler>>
        {
            ["Store"] = static () => throw new InvalidOperationException("STUDENTS_TABLE is not set"),
        };

        var runtime = Start("Store", handlers);

        Assert.Equal(1, await runtime.Exit);
        var initError = await _emulator.InitError.WaitAsync(Guard);
        Assert.Equal("InvalidOperationException", initError.ErrorTypeHeader);
        using var error = JsonDocument.Parse(initError.Body);
        Assert.Equal("InvalidOperationException", error.RootElement.GetProperty("errorType").GetString());
        Assert.Equal("STUDENTS_TABLE is not set", error.RootElement.GetProperty("errorMessage").GetString());
        Assert.NotEmpty(error.RootElement.GetProperty("stackTrace").EnumerateArray());
        Assert.Equal(0, _emulator.NextCalls);
    }

    [Fact]
    public async Task Deadline_already_passed_cancels_the_token_at_once()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero));
        var runtime = Start((_, context, token) =>
            Reply($"cancelled={token.IsCancellationRequested} remaining={context.RemainingTime}"), clock);
        _emulator.Enqueue(new EmulatedEvent("late", "{}") { Deadline = clock.GetUtcNow().AddSeconds(-1) });

        var result = await _emulator.ResultOf("late").WaitAsync(Guard);

        Assert.Equal("cancelled=True remaining=00:00:00", result.Text);
        Assert.Equal(0, await runtime.StopAsync());
    }

    [Fact]
    public async Task Deadline_reached_on_the_clock_cancels_the_token()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero));
        var started = new TaskCompletionSource<(CancellationToken Token, TimeSpan Remaining)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runtime = Start(async (_, context, token) =>
        {
            started.SetResult((token, context.RemainingTime));
            await WhenCancelled(token);
            return Utf8($"cancelled with {context.RemainingTime} left");
        }, clock);
        _emulator.Enqueue(new EmulatedEvent("request-1", "{}") { Deadline = clock.GetUtcNow().AddMinutes(5) });

        var (token, remaining) = await started.Task.WaitAsync(Guard);
        Assert.Equal(TimeSpan.FromMinutes(5), remaining);
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.False(token.IsCancellationRequested);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(token.IsCancellationRequested);

        var result = await _emulator.ResultOf("request-1").WaitAsync(Guard);
        Assert.Equal("cancelled with 00:00:00 left", result.Text);
        Assert.Equal(0, await runtime.StopAsync());
    }

    [Fact]
    public async Task TraceId_sets_x_amzn_trace_id_and_the_context()
    {
        const string Trace = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
        var runtime = Start(static (_, context, _) =>
            Reply($"{Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID") ?? "-"} | {context.TraceId ?? "-"}"));
        _emulator.Enqueue(new EmulatedEvent("traced", "{}") { TraceId = Trace });
        _emulator.Enqueue(new EmulatedEvent("untraced", "{}"));

        var traced = await _emulator.ResultOf("traced").WaitAsync(Guard);
        var untraced = await _emulator.ResultOf("untraced").WaitAsync(Guard);

        Assert.Equal($"{Trace} | {Trace}", traced.Text);
        Assert.Equal("- | -", untraced.Text);
        Assert.Equal(0, await runtime.StopAsync());
    }

    [Fact]
    public async Task Context_carries_the_invocation_headers_and_function_settings()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero));
        var seen = new TaskCompletionSource<LambdaContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runtime = Start((_, context, _) =>
        {
            seen.SetResult(context);
            return Reply("{}");
        }, clock, new Dictionary<string, string>
        {
            ["AWS_LAMBDA_FUNCTION_NAME"] = "ingestion-StoreStudents",
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "1024",
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/ingestion-StoreStudents",
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = "2026/12/06/[$LATEST]0123456789abcdef",
        });
        _emulator.Enqueue(new EmulatedEvent("request-1", "{}")
        {
            Deadline = clock.GetUtcNow().AddSeconds(30),
            InvokedFunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:ingestion-StoreStudents:live",
            ClientContext = """{"client":{"app_title":"registrar"}}""",
            CognitoIdentity = """{"cognitoIdentityId":"eu-west-1:42"}""",
        });

        var context = await seen.Task.WaitAsync(Guard);

        Assert.Equal("request-1", context.AwsRequestId);
        Assert.Equal(clock.GetUtcNow().AddSeconds(30), context.Deadline);
        Assert.Equal(TimeSpan.FromSeconds(30), context.RemainingTime);
        Assert.Equal("arn:aws:lambda:eu-west-1:123456789012:function:ingestion-StoreStudents:live", context.InvokedFunctionArn);
        Assert.Equal("""{"client":{"app_title":"registrar"}}""", context.ClientContext);
        Assert.Equal("""{"cognitoIdentityId":"eu-west-1:42"}""", context.CognitoIdentity);
        Assert.Equal("ingestion-StoreStudents", context.FunctionName);
        Assert.Equal("$LATEST", context.FunctionVersion);
        Assert.Equal(1024, context.MemoryLimitInMB);
        Assert.Equal("/aws/lambda/ingestion-StoreStudents", context.LogGroupName);
        Assert.Equal("2026/12/06/[$LATEST]0123456789abcdef", context.LogStreamName);
        Assert.Equal(0, await runtime.StopAsync());
    }

    [Fact]
    public async Task Loop_serves_invocations_in_sequence_with_one_initialisation()
    {
        var initialisations = 0;
        var active = 0;
        var maxActive = 0;
        var handlers = new Dictionary<string, Func<LambdaHandler>>
        {
            ["Count"] = () =>
            {
                Interlocked.Increment(ref initialisations);
                var served = 0;
                return async (input, context, token) =>
                {
                    var now = Interlocked.Increment(ref active);
                    maxActive = Math.Max(maxActive, now);
                    await Task.Yield();
                    using var reader = new StreamReader(input);
                    var reply = $"{++served}:{context.AwsRequestId}:{await reader.ReadToEndAsync(token)}";
                    Interlocked.Decrement(ref active);
                    return Utf8(reply);
                };
            },
        };
        var runtime = Start("Count", handlers);
        foreach (var n in new[] { 1, 2, 3 })
        {
            _emulator.Enqueue(new EmulatedEvent($"request-{n}", $"payload-{n}"));
        }

        var results = new List<string>();
        foreach (var n in new[] { 1, 2, 3 })
        {
            results.Add((await _emulator.ResultOf($"request-{n}").WaitAsync(Guard)).Text);
        }

        Assert.Equal(["1:request-1:payload-1", "2:request-2:payload-2", "3:request-3:payload-3"], results);
        Assert.Equal(1, initialisations);
        Assert.Equal(1, maxActive);
        Assert.Equal(0, await runtime.StopAsync());
    }

    [Fact]
    public async Task Loop_stopped_by_cancellation_cancels_the_invocation_and_returns_zero()
    {
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runtime = Start(async (_, _, token) =>
        {
            started.SetResult(token);
            await WhenCancelled(token);
            throw new OperationCanceledException(token);
        });
        _emulator.Enqueue(new EmulatedEvent("request-1", "{}"));
        var token = await started.Task.WaitAsync(Guard);

        Assert.Equal(0, await runtime.StopAsync());
        Assert.True(token.IsCancellationRequested);
        Assert.False(_emulator.ResultOf("request-1").IsCompleted);
    }

    [Fact]
    public async Task Loop_exits_non_zero_when_the_runtime_api_fails_on_next()
    {
        _emulator.Shutdown();

        var runtime = Start("Echo", Echo);

        Assert.Equal(1, await runtime.Exit);
        Assert.Equal(1, _emulator.NextCalls);
    }

    [Fact]
    public async Task Loop_exits_non_zero_when_the_runtime_api_fails_on_a_result()
    {
        var runtime = Start("Echo", Echo);
        _emulator.Enqueue(new EmulatedEvent("request-1", "x") { ResultStatus = HttpStatusCode.InternalServerError });
        _emulator.Enqueue(new EmulatedEvent("request-2", "never served"));

        Assert.Equal(1, await runtime.Exit);
        Assert.Equal("echo x", (await _emulator.ResultOf("request-1").WaitAsync(Guard)).Text);
        Assert.Equal(1, _emulator.NextCalls);
    }

    [Fact]
    public async Task Loop_exits_non_zero_when_the_runtime_api_cannot_be_reached()
    {
        var closedPort = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closedPort.Start();
        var address = closedPort.LocalEndpoint.ToString()!;
        closedPort.Stop();

        var exit = LambdaBootstrap.RunAsync(
            Echo,
            new Dictionary<string, string> { ["AWS_LAMBDA_RUNTIME_API"] = address, ["_HANDLER"] = "Echo" }.GetValueOrDefault,
            TimeProvider.System,
            CancellationToken.None);

        Assert.Equal(1, await exit.WaitAsync(Guard));
    }

    [Fact]
    public async Task Loop_exits_non_zero_without_a_runtime_api_address()
    {
        var exit = LambdaBootstrap.RunAsync(
            Echo,
            new Dictionary<string, string> { ["_HANDLER"] = "Echo" }.GetValueOrDefault,
            TimeProvider.System,
            CancellationToken.None);

        Assert.Equal(1, await exit.WaitAsync(Guard));
    }

    /// <summary>One function, <c>Echo</c>, that answers "echo " and its input.</summary>
    private static Dictionary<string, Func<LambdaHandler>> Echo => new()
    {
        ["Echo"] = static () => static async (input, _, token) =>
        {
            using var reader = new StreamReader(input);
            return Utf8("echo " + await reader.ReadToEndAsync(token));
        },
    };

    private static Task<Stream> Reply(string text) => Task.FromResult<Stream>(Utf8(text));

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    private static async Task WhenCancelled(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (token.Register(() => cancelled.SetResult()))
        {
            await cancelled.Task;
        }
    }

    /// <summary>Starts the runtime with <paramref name="handler"/> as its one function.</summary>
    private RunningRuntime Start(LambdaHandler handler, TimeProvider? clock = null, Dictionary<string, string>? settings = null) =>
        Start("Test", new Dictionary<string, Func<LambdaHandler>> { ["Test"] = () => handler }, clock, settings);

    private RunningRuntime Start(
        string? handlerSetting,
        IReadOnlyDictionary<string, Func<LambdaHandler>> handlers,
        TimeProvider? clock = null,
        Dictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(settings ?? []) { ["AWS_LAMBDA_RUNTIME_API"] = _emulator.RuntimeApi };
        if (handlerSetting is not null)
        {
            environment["_HANDLER"] = handlerSetting;
        }

        var stop = new CancellationTokenSource();
        var exit = LambdaBootstrap.RunAsync(handlers, environment.GetValueOrDefault, clock ?? TimeProvider.System, stop.Token);
        return new RunningRuntime(exit, stop);
    }

    /// <summary>A runtime loop started by a test.</summary>
    private sealed class RunningRuntime(Task<int> exit, CancellationTokenSource stop)
    {
        /// <summary>The exit code, once the loop ends by itself.</summary>
        public Task<int> Exit => exit.WaitAsync(Guard);

        /// <summary>Stops the loop as SIGTERM would, and gives its exit code.</summary>
        public async Task<int> StopAsync()
        {
            await stop.CancelAsync();
            var code = await exit.WaitAsync(Guard);
            stop.Dispose();
            return code;
        }
    }

    /// <summary>An exception that names its own error, as a Step Functions <c>Catch</c> would match it.</summary>
    private sealed class NamedFailure(string errorType, string message) : Exception(message), ILambdaErrorType
    {
        public string ErrorType { get; } = errorType;
    }
}
