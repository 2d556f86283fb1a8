using Amazon.Runtime;
using Ingestion.Local;
using Ingestion.Storage.Aws;
using Ingestion.Storage.Aws.DynamoDb;
using Ingestion.Testing;

namespace Ingestion.Reliability.Tests.Support;

/// <summary>The two student-store and ledger families a scenario can run on: SQLite, or DynamoDB's API (dynalite).</summary>
public static class Backends
{
    public const string Sqlite = "sqlite";
    public const string DynamoDb = "dynamodb";

    public static TheoryData<string> All => [Sqlite, DynamoDb];

    /// <summary>
    /// A scenario whose students and ledger are in fresh dynalite tables (the client disposed with the scenario's
    /// pipeline), or in its SQLite file; objects stay in the folder and the outbox in SQLite either way.
    /// </summary>
    public static async Task<LocalScenario> CreateAsync(string backend, DynaliteServer dynalite, Func<LocalPipelineOptions, LocalPipelineOptions>? configure = null)
    {
        if (backend == Sqlite)
        {
            return LocalScenario.Create(configure);
        }

        AwsTestEnvironment.Apply();
        var client = DynamoDbClients.Create(new AwsConnection(dynalite.Url) { Credentials = new BasicAWSCredentials(DynaliteServer.AccessKey, DynaliteServer.SecretKey) });
        var suffix = Guid.NewGuid().ToString("N")[..12];
        await DynamoDbSchema.CreateTablesAsync(client, "students-" + suffix, "files-" + suffix);
        return LocalScenario.Create(options =>
        {
            options = options with
            {
                Adapters = real => real with
                {
                    Students = new DynamoDbStudentStore(client, new DynamoDbStudentStoreOptions { TableName = "students-" + suffix, Clock = options.Clock }, ownsClient: true),
                    Ledger = new DynamoDbFileLedger(client, new DynamoDbFileLedgerOptions { TableName = "files-" + suffix }),
                },
            };
            return configure?.Invoke(options) ?? options;
        });
    }
}
