using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Ingestion.Rehearsal.Lambda;

/// <summary>
/// The Lambda Runtime API (2018-06-01) over real HTTP on loopback: serves queued events to <c>invocation/next</c>
/// and records the responses, errors and init error the runtime posts.
/// </summary>
/// <remarks>
/// After <see cref="Shutdown"/>, once the queue is empty, <c>invocation/next</c> answers 500, which the
/// Runtime API documents as "the runtime should exit". An event may ask for another answer than 202 to its
/// result (<see cref="EmulatedEvent.ResultStatus"/>: 413 as for a payload over 6 MB, 500). The rehearsal serves each
/// function's bootstrap process with one; the runtime client's tests use it too.
/// </remarks>
public sealed class RuntimeApiEmulator : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime/";

    private readonly HttpListener _listener;
    private readonly Channel<EmulatedEvent> _events = Channel.CreateUnbounded<EmulatedEvent>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<PostedResult>> _results = new();
    private readonly ConcurrentDictionary<string, HttpStatusCode> _resultStatuses = new();
    private readonly TaskCompletionSource<PostedResult> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DateTimeOffset> _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentBag<Task> _exchanges = [];
    private readonly Task _serving;
    private int _nextCalls;

    private RuntimeApiEmulator(HttpListener listener, int port)
    {
        _listener = listener;
        RuntimeApi = $"127.0.0.1:{port}";
        _serving = ServeAsync();
    }

    /// <summary>The value for <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string RuntimeApi { get; }

    /// <summary>The init error the runtime posted.</summary>
    public Task<PostedResult> InitError => _initError.Task;

    /// <summary>When the runtime first called <c>invocation/next</c>: the end of its initialisation.</summary>
    public Task<DateTimeOffset> FirstNext => _firstNext.Task;

    /// <summary>How many times <c>invocation/next</c> was called.</summary>
    public int NextCalls => Volatile.Read(ref _nextCalls);

    public static RuntimeApiEmulator Start()
    {
        // HttpListener takes no port 0: borrow a free port from the OS, and retry if another process takes it first.
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new RuntimeApiEmulator(listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>Queues an event for <c>invocation/next</c>.</summary>
    public void Enqueue(EmulatedEvent invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        _results.GetOrAdd(invocation.RequestId, _ => NewResult());
        _resultStatuses[invocation.RequestId] = invocation.ResultStatus;
        _events.Writer.TryWrite(invocation);
    }

    /// <summary>What the runtime posted for <paramref name="requestId"/> (response or error).</summary>
    public Task<PostedResult> ResultOf(string requestId) => _results.GetOrAdd(requestId, _ => NewResult()).Task;

    /// <summary>From now on, once the queue is empty, <c>invocation/next</c> answers 500.</summary>
    public void Shutdown() => _events.Writer.TryComplete();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Close();
        await _serving;
        await Task.WhenAll(_exchanges);
        _stopping.Dispose();
    }

    private static TaskCompletionSource<PostedResult> NewResult() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext exchange;
            try
            {
                exchange = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // Closed by DisposeAsync.
            }

            _exchanges.Add(Task.Run(() => AnswerAsync(exchange)));
        }
    }

    private async Task AnswerAsync(HttpListenerContext exchange)
    {
        var response = exchange.Response;
        try
        {
            var path = exchange.Request.Url!.AbsolutePath;
            var route = path.StartsWith(Prefix, StringComparison.Ordinal) ? path[Prefix.Length..].Split('/') : [];
            switch (exchange.Request.HttpMethod, route)
            {
                case ("GET", ["invocation", "next"]):
                    await NextAsync(response);
                    break;
                case ("POST", ["invocation", var escapedId, "response" or "error"]):
                    var requestId = Uri.UnescapeDataString(escapedId);
                    var status = _resultStatuses.GetValueOrDefault(requestId, HttpStatusCode.Accepted);
                    await RecordAsync(exchange, _results.GetOrAdd(requestId, _ => NewResult()), status);
                    break;
                case ("POST", ["init", "error"]):
                    await RecordAsync(exchange, _initError, HttpStatusCode.Accepted);
                    break;
                default:
                    await AnswerAsync(response, HttpStatusCode.NotFound, """{"errorMessage":"unknown path"}""");
                    break;
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException || _stopping.IsCancellationRequested)
        {
            // The runtime hung up (its loop was stopped), or the emulator is being disposed.
        }
        finally
        {
            response.Close();
        }
    }

    private async Task NextAsync(HttpListenerResponse response)
    {
        Interlocked.Increment(ref _nextCalls);
        _firstNext.TrySetResult(DateTimeOffset.UtcNow);
        EmulatedEvent invocation;
        try
        {
            invocation = await _events.Reader.ReadAsync(_stopping.Token);
        }
        catch (ChannelClosedException)
        {
            await AnswerAsync(response, HttpStatusCode.InternalServerError, """{"errorMessage":"emulator shut down"}""");
            return;
        }

        response.AddHeader("Lambda-Runtime-Aws-Request-Id", invocation.RequestId);
        response.AddHeader("Lambda-Runtime-Deadline-Ms", invocation.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        response.AddHeader("Lambda-Runtime-Invoked-Function-Arn", invocation.InvokedFunctionArn);
        AddIfPresent(response, "Lambda-Runtime-Trace-Id", invocation.TraceId);
        AddIfPresent(response, "Lambda-Runtime-Client-Context", invocation.ClientContext);
        AddIfPresent(response, "Lambda-Runtime-Cognito-Identity", invocation.CognitoIdentity);
        await AnswerAsync(response, HttpStatusCode.OK, invocation.Payload);
    }

    private async Task RecordAsync(HttpListenerContext exchange, TaskCompletionSource<PostedResult> result, HttpStatusCode status)
    {
        using var body = new MemoryStream();
        await exchange.Request.InputStream.CopyToAsync(body, _stopping.Token);
        result.TrySetResult(new PostedResult(
            IsError: exchange.Request.Url!.AbsolutePath.EndsWith("/error", StringComparison.Ordinal),
            Body: body.ToArray(),
            ErrorTypeHeader: exchange.Request.Headers["Lambda-Runtime-Function-Error-Type"],
            ContentType: exchange.Request.ContentType,
            ContentLength: exchange.Request.ContentLength64));
        var answer = status == HttpStatusCode.Accepted
            ? """{"status":"OK"}"""
            : $$"""{"errorMessage":"answered {{(int)status}} as the test asked","errorType":"{{status}}"}""";
        await AnswerAsync(exchange.Response, status, answer);
    }

    private static void AddIfPresent(HttpListenerResponse response, string name, string? value)
    {
        if (value is not null)
        {
            response.AddHeader(name, value);
        }
    }

    private async Task AnswerAsync(HttpListenerResponse response, HttpStatusCode status, string body)
    {
        response.StatusCode = (int)status;
        response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes, _stopping.Token);
    }
}

/// <summary>One event the emulator hands out.</summary>
public sealed record EmulatedEvent(string RequestId, string Payload)
{
    public DateTimeOffset Deadline { get; init; } = DateTimeOffset.UtcNow.AddMinutes(15);

    public string InvokedFunctionArn { get; init; } = "arn:aws:lambda:eu-west-1:123456789012:function:Test";

    public string? TraceId { get; init; }

    public string? ClientContext { get; init; }

    public string? CognitoIdentity { get; init; }

    /// <summary>What the emulator answers to this invocation's response or error post.</summary>
    public HttpStatusCode ResultStatus { get; init; } = HttpStatusCode.Accepted;
}

/// <summary>What the runtime posted: a response, an invocation error or the init error.</summary>
/// <param name="ContentLength">The request's Content-Length; -1 when it came chunked.</param>
public sealed record PostedResult(bool IsError, byte[] Body, string? ErrorTypeHeader, string? ContentType, long ContentLength)
{
    public string Text => Encoding.UTF8.GetString(Body);
}
