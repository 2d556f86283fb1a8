namespace Ingestion.Testing;

/// <summary>dynalite (the DynamoDB API, in memory) on 127.0.0.1 for the lifetime of a test class: <c>IClassFixture&lt;DynaliteServer&gt;</c>.</summary>
/// <remarks>
/// Tables are created, updated and deleted at once. Signatures are required but not checked: any credentials do
/// (<see cref="AccessKey"/>). Not implemented by dynalite: TransactWriteItems, PartiQL, TTL, point-in-time recovery.
/// </remarks>
public sealed class DynaliteServer : NodeServer
{
    public const string AccessKey = "local";
    public const string SecretKey = "local";

    private const string Script = """
        const path = require('path');
        const [root, host] = process.argv.slice(1);
        const dynalite = require(path.join(root, 'node_modules', 'dynalite'));
        const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
        server.listen(0, host, () => console.log('LISTENING ' + server.address().port));
        """;

    public DynaliteServer()
        : base("dynalite", [], Script, [NodeTools.RepositoryRoot, "127.0.0.1"])
    {
    }
}
