using Amazon.DynamoDBv2;
using Ingestion.Domain.Storage;
using Ingestion.Storage.Aws.DynamoDb;
using Ingestion.Storage.Tests.Storage.Aws;
using Ingestion.Testing;

namespace Ingestion.Storage.Tests.Storage;

/// <summary>The student store contract against dynalite: a fresh table per test, one server per class.</summary>
public sealed class DynamoDbStudentStoreTests(DynaliteServer server) : StudentStoreContract, IClassFixture<DynaliteServer>, IDisposable
{
    private readonly string _table = AwsTestClients.Unique("students");
    private readonly List<IAmazonDynamoDB> _clients = [];

    protected override async Task<IStudentStore> CreateStoreAsync(TimeProvider clock) => await OpenAsync(clock);

    protected override async Task<(IStudentStore First, IStudentStore Second)> CreateTwoWritersAsync(TimeProvider clock) =>
        (await OpenAsync(clock), await OpenAsync(clock));

    // Each writer has its own client (its own connections), as two Lambdas would.
    private async Task<IStudentStore> OpenAsync(TimeProvider clock)
    {
        var client = AwsTestClients.DynamoDb(server);
        _clients.Add(client);
        await DynamoDbSchema.CreateTableAsync(client, DynamoDbSchema.StudentsTableRequest(_table));
        return new DynamoDbStudentStore(client, new DynamoDbStudentStoreOptions { TableName = _table, Clock = clock, Retry = AwsTestClients.NoWait() });
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}

/// <summary>The file ledger contract against dynalite: a fresh table per test, one server per class.</summary>
public sealed class DynamoDbFileLedgerTests(DynaliteServer server) : FileLedgerContract, IClassFixture<DynaliteServer>, IDisposable
{
    private readonly string _table = AwsTestClients.Unique("files");
    private readonly List<IAmazonDynamoDB> _clients = [];

    protected override async Task<IFileLedger> CreateLedgerAsync(TimeSpan lease)
    {
        var client = AwsTestClients.DynamoDb(server);
        _clients.Add(client);
        await DynamoDbSchema.CreateTableAsync(client, DynamoDbSchema.FilesTableRequest(_table));
        return new DynamoDbFileLedger(client, new DynamoDbFileLedgerOptions { TableName = _table, Lease = lease, Retry = AwsTestClients.NoWait() });
    }

    [Fact]
    public async Task Two_clients_register_one_version_once()
    {
        var first = await CreateLedgerAsync(Lease);
        var second = await CreateLedgerAsync(Lease);

        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(i => Task.Run(() => (i % 2 == 0 ? first : second).RegisterAsync(File(), $"exec-{i}", Now))));

        Assert.Single(results, r => r.Status == RegistrationStatus.Registered);
    }

    [Fact]
    public async Task History_orders_entries_registered_at_the_same_instant_by_file_then_version()
    {
        var ledger = await CreateLedgerAsync(Lease);
        foreach (var (version, key) in new[] { ("v2", "incoming/b.json"), ("v1", "incoming/b.json"), ("v9", "incoming/a.json") })
        {
            await ledger.RegisterAsync(File(version, key), $"{key}@{version}", Now);
        }

        var all = await ledger.ListAsync().Select(e => e.ExecutionName).ToListAsync();
        var first = await ledger.ListAsync(limit: 2).Select(e => e.ExecutionName).ToListAsync();

        Assert.Equal(["incoming/a.json@v9", "incoming/b.json@v1", "incoming/b.json@v2"], all);
        Assert.Equal(["incoming/a.json@v9", "incoming/b.json@v1"], first);
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}
