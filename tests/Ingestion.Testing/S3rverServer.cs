namespace Ingestion.Testing;

/// <summary>s3rver (the S3 API, over a temporary folder) on 127.0.0.1 for the lifetime of a test class: <c>IClassFixture&lt;S3rverServer&gt;</c>.</summary>
/// <remarks>
/// Clients must use path-style addressing and the credentials <see cref="AccessKey"/>/<see cref="SecretKey"/> (only
/// the access key is checked). Known gaps: no versioning (no version ids), CopyObject misreads the SDK's URL-encoded
/// copy source, and aws-chunked uploads are stored with their framing (send <c>UseChunkEncoding = false</c>). Node
/// runs with <c>--openssl-legacy-provider</c>, without which listing past the first page fails.
/// </remarks>
public sealed class S3rverServer : NodeServer
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private const string Script = """
        const path = require('path');
        const [root, host, directory, ...buckets] = process.argv.slice(1);
        const S3rver = require(path.join(root, 'node_modules', 's3rver'));
        new S3rver({ address: host, port: 0, directory, silent: true, configureBuckets: buckets.map(name => ({ name, configs: [] })) })
          .run()
          .then(({ port }) => console.log('LISTENING ' + port), error => { console.error(error); process.exit(1); });
        """;

    private readonly string _directory;

    /// <summary>Starts with the bucket <c>ingestion</c> already there.</summary>
    public S3rverServer()
        : this(Path.Combine(Path.GetTempPath(), "ingestion-s3rver", Guid.NewGuid().ToString("N")), "ingestion")
    {
    }

    private S3rverServer(string directory, params string[] buckets)
        : base("s3rver", ["--openssl-legacy-provider"], Script, [NodeTools.RepositoryRoot, "127.0.0.1", CreateDirectory(directory), .. buckets])
    {
        _directory = directory;
    }

    protected override void OnStopped()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder eventually.
        }
    }

    private static string CreateDirectory(string path)
    {
        Directory.CreateDirectory(path);
        return path;
    }
}
