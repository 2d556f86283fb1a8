using Ingestion.Domain.Storage;
using Ingestion.States.Errors;

namespace Ingestion.Reliability.Tests.Faults;

/// <summary>The errors the fault layer throws: the ones the real adapters and services raise, which the definitions retry.</summary>
internal static class Faults
{
    /// <summary>
    /// DynamoDB and S3 throttling as the AWS adapters report it once their own backoff gives up
    /// (<see cref="StorageThrottledException"/>, retried through <c>States.TaskFailed</c>), and SNS throttling as the
    /// Step Functions SDK integration names it (<c>Sns.ThrottledException</c>).
    /// </summary>
    public static Exception Transient(FaultSite site) => site switch
    {
        FaultSite.Outbox => new StatesException("Sns.ThrottledException", "Rate exceeded (injected)."),
        FaultSite.Store => new StorageThrottledException("DynamoDB table 'StudentRecords' (injected)", "DynamoDB table 'StudentRecords' is throttling requests (injected); retry later."),
        FaultSite.Ledger => new StorageThrottledException("DynamoDB table 'IngestionFiles' (injected)", "DynamoDB table 'IngestionFiles' is throttling requests (injected); retry later."),
        _ => new StorageUnreachableException("S3 bucket (injected)", "The S3 endpoint did not answer (injected); check the network."),
    };
}

/// <summary>A fault that does not go away by retrying: what a broken record or a broken disk looks like to the pipeline.</summary>
public sealed class InjectedPermanentFaultException(string message) : Exception(message);
