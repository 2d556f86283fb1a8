using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Ingestion.Storage.Aws;
using Ingestion.Storage.Aws.DynamoDb;
using Ingestion.Storage.Aws.S3;
using Ingestion.Testing;

namespace Ingestion.Storage.Tests.Storage.Aws;

/// <summary>SDK clients for the test servers, built the way the adapters' own factories build them.</summary>
internal static class AwsTestClients
{
    /// <summary>A policy that never sleeps: tests record the waits instead.</summary>
    public static BackoffPolicy NoWait(List<TimeSpan>? waits = null, double random = 0.5) => new()
    {
        Delay = (delay, _) =>
        {
            if (waits is not null)
            {
                lock (waits)
                {
                    waits.Add(delay);
                }
            }

            return Task.CompletedTask;
        },
        NextRandom = () => random,
    };

    public static AmazonDynamoDBClient DynamoDb(DynaliteServer server, HttpClientFactory? http = null) =>
        DynamoDb(server.Url, http);

    public static AmazonDynamoDBClient DynamoDb(string url, HttpClientFactory? http = null) =>
        DynamoDbClients.Create(new AwsConnection(url)
        {
            Credentials = new BasicAWSCredentials(DynaliteServer.AccessKey, DynaliteServer.SecretKey),
            HttpClientFactory = http,
        });

    public static AmazonS3Client S3(S3rverServer server, HttpClientFactory? http = null, string accessKey = S3rverServer.AccessKey) =>
        S3(server.Url, http, accessKey);

    public static AmazonS3Client S3(string url, HttpClientFactory? http = null, string accessKey = S3rverServer.AccessKey) =>
        S3Clients.Create(new AwsConnection(url)
        {
            Credentials = new BasicAWSCredentials(accessKey, S3rverServer.SecretKey),
            HttpClientFactory = http,
        });

    /// <summary>A table or bucket name no other test uses.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 21, 63)];

    /// <summary>A loopback URL nothing listens on.</summary>
    public static string ClosedPortUrl()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }
}
