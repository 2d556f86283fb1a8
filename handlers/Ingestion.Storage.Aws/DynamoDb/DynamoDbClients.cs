using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Ingestion.Domain;
using Ingestion.Domain.Storage;

namespace Ingestion.Storage.Aws.DynamoDb;

/// <summary>Builds the DynamoDB client the adapters use.</summary>
public static class DynamoDbClients
{
    /// <summary>A client for <paramref name="connection"/>; the SDK's own retries are off.</summary>
    /// <remarks>
    /// The adapters retry throttling themselves (<see cref="BackoffPolicy"/>: bounded, full jitter, testable); SDK
    /// retries on top would multiply the attempts and hide them from the policy.
    /// </remarks>
    /// <exception cref="ConfigurationException">No region is configured and no endpoint URL is given.</exception>
    public static AmazonDynamoDBClient Create(AwsConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var config = new AmazonDynamoDBConfig { MaxErrorRetry = 0 };
        connection.ApplyTo(config);
        try
        {
            return connection.Credentials is { } credentials
                ? new AmazonDynamoDBClient(credentials, config)
                : new AmazonDynamoDBClient(config);
        }
        catch (AmazonClientException e) when (e.Message.Contains("RegionEndpoint", StringComparison.Ordinal))
        {
            throw new ConfigurationException("No AWS region is configured for DynamoDB: set AWS_REGION, or give an endpoint URL (--dynamodb-endpoint).");
        }
    }
}

/// <summary>Runs one DynamoDB call: throttling retried by the policy, storage failures translated, anything else passed on.</summary>
internal sealed class DynamoDbCaller(AwsResource resource, BackoffPolicy retry)
{
    public AwsResource Resource { get; } = resource;

    public BackoffPolicy Retry { get; } = retry;

    public async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken);
            }
            catch (AmazonServiceException e) when (AwsErrors.IsThrottling(e))
            {
                if (attempt >= Retry.MaxAttempts)
                {
                    throw Throttled(e.ErrorCode, attempt, e);
                }

                await Retry.WaitAsync(attempt, cancellationToken);
            }
            catch (Exception e) when (AwsErrors.Translate(e, Resource) is { } translated && !ReferenceEquals(translated, e))
            {
                throw translated;
            }
        }
    }

    public StorageThrottledException Throttled(string what, int attempts, Exception? cause = null) => new(
        Resource.ToString(),
        $"{Resource} is still throttling ({what}) after {attempts} attempts: retry later, or give the table more capacity.",
        cause);
}
