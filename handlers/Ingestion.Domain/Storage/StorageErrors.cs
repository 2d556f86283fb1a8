namespace Ingestion.Domain.Storage;

/// <summary>The storage behind an adapter cannot be used: the table or bucket, the credentials, the endpoint, or the capacity.</summary>
/// <remarks>
/// The message is one line that names the resource and says what to do, so the CLI can print it as it is and a
/// failed Step Functions task shows it as its cause. The SDK's own exception stays as the inner exception.
/// </remarks>
public abstract class StorageException(string resource, string message, Exception? innerException)
    : IngestionException(message, innerException)
{
    /// <summary>What was being used, e.g. <c>DynamoDB table 'StudentRecords' at http://127.0.0.1:8000</c>.</summary>
    public string Resource { get; } = resource;
}

/// <summary>The table or bucket does not exist.</summary>
public sealed class StorageResourceMissingException(string resource, string message, Exception? innerException = null)
    : StorageException(resource, message, innerException);

/// <summary>No credentials were found, the service rejected them, or they do not allow the call.</summary>
public sealed class StorageAccessDeniedException(string resource, string message, Exception? innerException = null)
    : StorageException(resource, message, innerException);

/// <summary>The endpoint does not answer (connection refused, unknown host, timeout), or no region is configured.</summary>
public sealed class StorageUnreachableException(string resource, string message, Exception? innerException = null)
    : StorageException(resource, message, innerException);

/// <summary>The service kept throttling after every retry the policy allows; retrying later may succeed.</summary>
public sealed class StorageThrottledException(string resource, string message, Exception? innerException = null)
    : StorageException(resource, message, innerException);

/// <summary>Concurrent writers kept changing one item between this writer's read and its conditional write.</summary>
public sealed class StorageContentionException(string resource, string message)
    : StorageException(resource, message, null);
