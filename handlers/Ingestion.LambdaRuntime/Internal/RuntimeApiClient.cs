using System.Net;
using System.Net.Http.Headers;

namespace Ingestion.LambdaRuntime.Internal;

/// <summary>The HTTP calls of the Lambda Runtime API, version 2018-06-01.</summary>
/// <remarks>
/// Paths, headers and status codes as documented for custom runtimes: a 5xx means the execution environment is
/// broken and the runtime must exit (<see cref="RuntimeApiException"/>); a 4xx on a response or error post
/// (413: payload too large) loses that one result, so it is reported on stderr and the loop goes on.
/// </remarks>
internal sealed class RuntimeApiClient : IDisposable
{
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;

    /// <param name="runtimeApi">The <c>host:port</c> from <c>AWS_LAMBDA_RUNTIME_API</c>.</param>
    public RuntimeApiClient(string runtimeApi)
    {
        if (!Uri.TryCreate($"http://{runtimeApi}/2018-06-01/runtime/", UriKind.Absolute, out var baseAddress))
        {
            throw new RuntimeApiException($"AWS_LAMBDA_RUNTIME_API is not a host:port: '{runtimeApi}'.");
        }

        // The Runtime API is local to the execution environment: never through a proxy from HTTP_PROXY.
        var handler = new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false };
        // No timeout: invocation/next is a long poll, and the environment may be frozen while it waits.
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Waits for the next event (<c>GET invocation/next</c>).</summary>
    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "invocation/next"), cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RuntimeApiException($"invocation/next answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id");
        if (string.IsNullOrEmpty(requestId))
        {
            throw new RuntimeApiException("invocation/next answered without a Lambda-Runtime-Aws-Request-Id header.");
        }

        var deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), out var deadlineMs)
            ? DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs)
            : DateTimeOffset.MaxValue;
        return new Invocation(
            requestId,
            deadline,
            InvokedFunctionArn: Header(response, "Lambda-Runtime-Invoked-Function-Arn") ?? "",
            TraceId: Header(response, "Lambda-Runtime-Trace-Id"),
            ClientContext: Header(response, "Lambda-Runtime-Client-Context"),
            CognitoIdentity: Header(response, "Lambda-Runtime-Cognito-Identity"),
            Payload: await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    /// <summary>Sends an invocation's result (<c>POST invocation/{id}/response</c>).</summary>
    public async Task PostResponseAsync(string requestId, Stream output, CancellationToken cancellationToken)
    {
        // A seekable stream goes out with a Content-Length; any other is buffered first rather than sent chunked.
        HttpContent content = output.CanSeek
            ? new StreamContent(output)
            : new ByteArrayContent(await ReadAllAsync(output, cancellationToken));
        var request = new HttpRequestMessage(HttpMethod.Post, $"invocation/{Uri.EscapeDataString(requestId)}/response") { Content = content };
        await PostAsync(request, "the response of " + requestId, cancellationToken);
    }

    /// <summary>Reports an invocation's failure (<c>POST invocation/{id}/error</c>).</summary>
    public Task PostErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken) =>
        PostAsync(ErrorRequest($"invocation/{Uri.EscapeDataString(requestId)}/error", error), "the error of " + requestId, cancellationToken);

    /// <summary>Reports that the function could not start (<c>POST init/error</c>); the runtime exits after it.</summary>
    public Task PostInitErrorAsync(LambdaError error, CancellationToken cancellationToken) =>
        PostAsync(ErrorRequest("init/error", error), "the initialisation error", cancellationToken);

    public void Dispose() => _http.Dispose();

    private static HttpRequestMessage ErrorRequest(string path, LambdaError error)
    {
        var content = new ByteArrayContent(error.ToUtf8Json());
        content.Headers.ContentType = Json;
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add(ErrorTypeHeader, error.HeaderValue);
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private async Task PostAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, cancellationToken);
        if ((int)response.StatusCode >= 500)
        {
            throw new RuntimeApiException($"The Runtime API answered {(int)response.StatusCode} {response.ReasonPhrase} to {what}.");
        }

        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            RuntimeLog.Error($"The Runtime API rejected {what}: {(int)response.StatusCode} {response.ReasonPhrase} {body}");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw new RuntimeApiException($"The Runtime API at {_http.BaseAddress} cannot be reached: {e.Message}", e);
            }
        }
    }
}
