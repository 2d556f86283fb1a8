using System.Net.Sockets;
using Amazon.Runtime;
using Ingestion.Domain.Storage;

namespace Ingestion.Storage.Aws;

/// <summary>A table or bucket as messages name it: what it is, its name, where it lives, and what to do when it is missing.</summary>
/// <param name="Kind">E.g. <c>DynamoDB table</c>, <c>S3 bucket</c>.</param>
/// <param name="Where">E.g. <c>at http://127.0.0.1:8000</c>, <c>in region eu-west-1</c> (<see cref="AwsConnection.Describe"/>).</param>
/// <param name="MissingHint">What to do when it does not exist, e.g. <c>create it, or set STUDENTS_TABLE to its name</c>.</param>
internal sealed record AwsResource(string Kind, string Name, string Where, string MissingHint)
{
    public override string ToString() => $"{Kind} '{Name}' {Where}";
}

/// <summary>Turns the SDK's failures of the storage itself into the one-line <see cref="StorageException"/>s.</summary>
/// <remarks>
/// Only failures of the resource, the credentials or the endpoint are translated; everything else (a conditional
/// check, a missing object, a validation error that is a bug) is left to the adapter.
/// </remarks>
internal static class AwsErrors
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "Throttling", "SlowDown",
    };

    private static readonly HashSet<string> MissingCodes = new(StringComparer.Ordinal)
    {
        "ResourceNotFoundException", "NoSuchBucket",
    };

    private static readonly HashSet<string> RejectedCredentialCodes = new(StringComparer.Ordinal)
    {
        "UnrecognizedClientException", "InvalidSignatureException", "InvalidClientTokenId", "IncompleteSignature",
        "MissingAuthenticationToken", "ExpiredToken", "ExpiredTokenException", "InvalidToken",
        "InvalidAccessKeyId", "SignatureDoesNotMatch",
    };

    private static readonly HashSet<string> DeniedCodes = new(StringComparer.Ordinal)
    {
        "AccessDeniedException", "AccessDenied", "AllAccessDisabled",
    };

    /// <summary>Whether the service asked to slow down (the retry policy's business).</summary>
    public static bool IsThrottling(AmazonServiceException exception) =>
        exception?.ErrorCode is { } code && ThrottlingCodes.Contains(code);

    /// <summary>A <see cref="StorageException"/> for a failure of the resource, credentials or endpoint; otherwise <see langword="null"/>.</summary>
    public static StorageException? Translate(Exception exception, AwsResource resource)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(resource);
        var name = resource.ToString();
        switch (exception)
        {
            case StorageException storage:
                return storage;
            case AmazonServiceException { ErrorCode: { } code } service when MissingCodes.Contains(code):
                return new StorageResourceMissingException(name, $"{Capitalised(name)} does not exist: {resource.MissingHint}.", service);
            case AmazonServiceException { ErrorCode: { } code } service when RejectedCredentialCodes.Contains(code):
                return new StorageAccessDeniedException(name,
                    $"AWS rejected the credentials used for {name} ({code}): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE.", service);
            case AmazonServiceException { ErrorCode: { } code } service when DeniedCodes.Contains(code):
                return new StorageAccessDeniedException(name,
                    $"Access to {name} was denied ({code}: {FirstLine(service.Message)}): check that the credentials' IAM policy allows this call.", service);
            case AmazonServiceException { StatusCode: System.Net.HttpStatusCode.Forbidden } service:
                // S3 answers a HEAD request with a bare 403: wrong credentials and a missing permission look the same.
                return new StorageAccessDeniedException(name,
                    $"Access to {name} was denied (403): check the credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE) and their IAM policy.", service);
            case AmazonClientException client when client.Message.StartsWith("Failed to resolve AWS credentials", StringComparison.Ordinal):
                return new StorageAccessDeniedException(name,
                    $"No AWS credentials found for {name}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (any values do for a local dynalite).", client);
            case HttpRequestException or SocketException or TimeoutException:
            case TaskCanceledException { InnerException: TimeoutException }:
            case AmazonClientException { InnerException: HttpRequestException or SocketException or TimeoutException }:
                return new StorageUnreachableException(name,
                    $"Cannot reach {name} ({FirstLine(Innermost(exception).Message)}): check the endpoint URL or region and that the service is running.", exception);
            default:
                return null;
        }
    }

    /// <summary>Runs <paramref name="call"/>, translating failures of the resource, credentials or endpoint.</summary>
    public static async Task<T> Guard<T>(AwsResource resource, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call();
        }
        catch (Exception e) when (Translate(e, resource) is { } translated && !ReferenceEquals(translated, e))
        {
            throw translated;
        }
    }

    /// <summary>The first line of a message, trimmed: SDK messages can run over several lines.</summary>
    public static string FirstLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var end = message.AsSpan().IndexOfAny('\r', '\n');
        return (end < 0 ? message : message[..end]).Trim();
    }

    private static Exception Innermost(Exception exception)
    {
        // The socket error says what happened ("Connection refused (127.0.0.1:1)"); wrappers only repeat it.
        var current = exception;
        while (current.InnerException is { } inner && current is not HttpRequestException)
        {
            current = inner;
        }

        return current;
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
