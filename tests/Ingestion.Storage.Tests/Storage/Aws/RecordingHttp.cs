using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Amazon.Runtime;

namespace Ingestion.Storage.Tests.Storage.Aws;

/// <summary>One request an SDK client sent: the operation and the body.</summary>
/// <param name="Operation">DynamoDB: the X-Amz-Target action (<c>PutItem</c>); S3: the method and path.</param>
public sealed record SentRequest(string Operation, string Body);

/// <summary>
/// The HTTP client under an SDK client: records every request, and lets a test answer one itself (a throttling
/// error, a synthetic response) or run something before it goes out (another writer, to force an interleaving).
/// </summary>
public sealed class RecordingHttp : HttpClientFactory
{
    private readonly ConcurrentQueue<SentRequest> _sent = new();

    /// <summary>Answers a request instead of the server when it returns a response; null lets the request through.</summary>
    public Func<SentRequest, Task<HttpResponseMessage?>>? Intercept { get; set; }

    public IReadOnlyList<SentRequest> Sent => [.. _sent];

    public int Count(string operation) => _sent.Count(r => r.Operation == operation);

    public void Clear() => _sent.Clear();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new Handler(this) { InnerHandler = new SocketsHttpHandler() }, disposeHandler: true);

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    /// <summary>A DynamoDB error response, as the service sends it (JSON 1.0 protocol).</summary>
    public static HttpResponseMessage DynamoDbError(string code, string message, HttpStatusCode status = HttpStatusCode.BadRequest) => new(status)
    {
        Content = new StringContent(
            $$"""{"__type":"com.amazonaws.dynamodb.v20120810#{{code}}","message":"{{message}}"}""",
            Encoding.UTF8,
            "application/x-amz-json-1.0"),
    };

    /// <summary>A successful DynamoDB response with the given JSON body.</summary>
    public static HttpResponseMessage DynamoDbOk(string json) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(json, Encoding.UTF8, "application/x-amz-json-1.0"),
    };

    private sealed class Handler(RecordingHttp owner) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            var operation = request.Headers.TryGetValues("X-Amz-Target", out var targets)
                ? targets.First().Split('.')[^1]
                : $"{request.Method} {request.RequestUri?.AbsolutePath}";
            var record = new SentRequest(operation, body);
            owner._sent.Enqueue(record);
            if (owner.Intercept is { } intercept && await intercept(record) is { } answer)
            {
                answer.RequestMessage = request;
                return answer;
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
