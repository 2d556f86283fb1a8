using Amazon.Runtime;
using Amazon.S3;
using Ingestion.Domain;

namespace Ingestion.Storage.Aws.S3;

/// <summary>Builds the S3 client the object store uses.</summary>
public static class S3Clients
{
    /// <summary>A client for <paramref name="connection"/>; path-style addressing when an endpoint URL is given.</summary>
    /// <remarks>
    /// S3-compatible servers (s3rver, MinIO) serve buckets under the path, not as host names. The SDK's standard
    /// retries stay on: a put's stream is rewound by the SDK, and S3 rarely throttles at this project's rates.
    /// </remarks>
    /// <exception cref="ConfigurationException">No region is configured and no endpoint URL is given.</exception>
    public static AmazonS3Client Create(AwsConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var config = new AmazonS3Config { ForcePathStyle = connection.ServiceUrl is not null };
        connection.ApplyTo(config);
        try
        {
            return connection.Credentials is { } credentials
                ? new AmazonS3Client(credentials, config)
                : new AmazonS3Client(config);
        }
        catch (AmazonClientException e) when (e.Message.Contains("RegionEndpoint", StringComparison.Ordinal))
        {
            throw new ConfigurationException("No AWS region is configured for S3: set AWS_REGION, or give an endpoint URL (--s3-endpoint).");
        }
    }
}
