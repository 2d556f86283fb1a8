using Ingestion.Storage.Aws;
using Ingestion.Storage.Aws.DynamoDb;
using Ingestion.Storage.Aws.S3;

namespace Ingestion.Domain.Storage;

/// <summary>The AWS adapters as the configuration builds them (<c>INGEST_STORE=dynamodb</c>, <c>INGEST_OBJECTS=s3</c>): each owns its client.</summary>
/// <remarks>Used by <see cref="Functions.HandlerSettings"/>, so the Lambda functions and the <c>ingest</c> command build them alike.</remarks>
public static class AwsBackends
{
    public static DynamoDbStudentStore StudentStore(AwsConnection connection, string tableName, TimeProvider? clock = null) =>
        new(DynamoDbClients.Create(connection), new DynamoDbStudentStoreOptions { TableName = tableName, Clock = clock ?? TimeProvider.System }, ownsClient: true);

    public static DynamoDbFileLedger FileLedger(AwsConnection connection, string tableName) =>
        new(DynamoDbClients.Create(connection), new DynamoDbFileLedgerOptions { TableName = tableName }, ownsClient: true);

    public static S3ObjectStore ObjectStore(AwsConnection connection) =>
        new(S3Clients.Create(connection), ownsClient: true);
}
