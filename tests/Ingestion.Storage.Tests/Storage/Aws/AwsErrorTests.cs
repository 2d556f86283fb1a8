using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Storage.Aws;
using Ingestion.Storage.Aws.DynamoDb;
using Ingestion.Storage.Aws.S3;
using Ingestion.Testing;

namespace Ingestion.Storage.Tests.Storage.Aws;

/// <summary>Storage that cannot be used fails with one line naming the resource and what to do, never with the SDK's stack.</summary>
public sealed class AwsErrorTests(DynaliteServer dynalite, S3rverServer s3rver) : IClassFixture<DynaliteServer>, IClassFixture<S3rverServer>, IDisposable
{
    private readonly List<IDisposable> _disposables = [];

    internal static void AssertOneLine(string message, string mentions)
    {
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\r', message);
        Assert.Contains(mentions, message, StringComparison.Ordinal);
    }

    private static readonly StudentSource Source = new("incoming/students.json", "v1", new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero));

    private static readonly LedgerFile File = new("ingestion", "incoming/students.json", "v1", null, 10, Source.Time);

    private static IReadOnlyList<IncomingStudent> OneStudent => [IncomingStudent.Create(0, new Student("S-1", "Ada", "Mathematics", "ada@example.edu"))];

    private T Track<T>(T disposable)
        where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    private AmazonDynamoDBClient DynamoDb(string? url = null, RecordingHttp? http = null) => Track(AwsTestClients.DynamoDb(url ?? dynalite.Url, http));

    private AmazonS3Client S3(string? url = null, string accessKey = S3rverServer.AccessKey) => Track(AwsTestClients.S3(url ?? s3rver.Url, accessKey: accessKey));

    [Fact]
    public async Task A_missing_students_table_names_the_table_the_endpoint_and_the_setting()
    {
        var store = new DynamoDbStudentStore(DynamoDb(), new DynamoDbStudentStoreOptions { TableName = "NoSuchStudents" });

        var error = await Assert.ThrowsAsync<StorageResourceMissingException>(() => store.StoreBatchAsync(Source, OneStudent));

        AssertOneLine(error.Message, "DynamoDB table 'NoSuchStudents' at " + dynalite.Url);
        Assert.Contains("STUDENTS_TABLE", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<StorageResourceMissingException>(() => store.GetAsync("S-1"));
        await Assert.ThrowsAsync<StorageResourceMissingException>(async () => await store.ListAsync("Physics").ToListAsync());
    }

    [Fact]
    public async Task A_missing_ledger_table_names_the_table_and_the_setting()
    {
        var ledger = new DynamoDbFileLedger(DynamoDb(), new DynamoDbFileLedgerOptions { TableName = "NoSuchFiles" });

        var error = await Assert.ThrowsAsync<StorageResourceMissingException>(() => ledger.RegisterAsync(File, "exec-1", Source.Time));

        AssertOneLine(error.Message, "DynamoDB table 'NoSuchFiles'");
        Assert.Contains("FILES_TABLE", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<StorageResourceMissingException>(async () => await ledger.ListAsync().ToListAsync());
    }

    [Theory]
    [InlineData("UnrecognizedClientException", "The security token included in the request is invalid.")]
    [InlineData("InvalidSignatureException", "The request signature we calculated does not match the signature you provided.")]
    public async Task Credentials_dynamodb_rejects_are_named_with_the_variables_to_check(string code, string message)
    {
        var http = new RecordingHttp { Intercept = _ => Task.FromResult<HttpResponseMessage?>(RecordingHttp.DynamoDbError(code, message)) };
        var store = new DynamoDbStudentStore(DynamoDb(http: http), new DynamoDbStudentStoreOptions { TableName = "StudentRecords" });

        var error = await Assert.ThrowsAsync<StorageAccessDeniedException>(() => store.GetAsync("S-1"));

        AssertOneLine(error.Message, "AWS_ACCESS_KEY_ID");
        Assert.Contains(code, error.Message, StringComparison.Ordinal);
        Assert.Contains("'StudentRecords'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_dynamodb_endpoint_is_named()
    {
        var url = AwsTestClients.ClosedPortUrl();
        var store = new DynamoDbStudentStore(DynamoDb(url), new DynamoDbStudentStoreOptions { TableName = "StudentRecords" });

        var error = await Assert.ThrowsAsync<StorageUnreachableException>(() => store.StoreBatchAsync(Source, OneStudent));

        AssertOneLine(error.Message, url);
        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_bucket_is_named_on_every_operation()
    {
        var store = new S3ObjectStore(S3());
        const string Bucket = "no-such-bucket";

        var errors = new[]
        {
            await Assert.ThrowsAsync<StorageResourceMissingException>(() => store.HeadAsync(Bucket, "incoming/a.json")),
            await Assert.ThrowsAsync<StorageResourceMissingException>(() => store.GetAsync(Bucket, "incoming/a.json")),
            await Assert.ThrowsAsync<StorageResourceMissingException>(() => store.PutAsync(Bucket, "incoming/a.json", new MemoryStream([1]))),
            await Assert.ThrowsAsync<StorageResourceMissingException>(async () => await store.ListAsync(Bucket, "incoming/").ToListAsync()),
            await Assert.ThrowsAsync<StorageResourceMissingException>(() => store.MoveAsync(Bucket, "incoming/a.json", "archive/a.json")),
        };

        Assert.All(errors, e => AssertOneLine(e.Message, $"S3 bucket '{Bucket}' at {s3rver.Url}"));
    }

    [Fact]
    public async Task Credentials_s3_rejects_are_named()
    {
        var store = new S3ObjectStore(S3(accessKey: "WRONG"));

        var listing = await Assert.ThrowsAsync<StorageAccessDeniedException>(async () => await store.ListAsync("ingestion", "incoming/").ToListAsync());
        var head = await Assert.ThrowsAsync<StorageAccessDeniedException>(() => store.HeadAsync("ingestion", "incoming/a.json"));

        AssertOneLine(listing.Message, "AWS_ACCESS_KEY_ID");
        Assert.Contains("InvalidAccessKeyId", listing.Message, StringComparison.Ordinal);
        AssertOneLine(head.Message, "S3 bucket 'ingestion'");
    }

    [Fact]
    public async Task An_unreachable_s3_endpoint_is_named()
    {
        var url = AwsTestClients.ClosedPortUrl();
        var store = new S3ObjectStore(S3(url));

        var error = await Assert.ThrowsAsync<StorageUnreachableException>(() => store.HeadAsync("ingestion", "incoming/a.json"));

        AssertOneLine(error.Message, url);
    }

    [Fact]
    public void No_credentials_at_all_is_named_with_the_variables_to_set()
    {
        // What the SDK's default chain throws when every provider comes back empty (its message spans lines).
        var sdk = new AmazonClientException(
            "Failed to resolve AWS credentials. The credential providers used to search for credentials returned the following errors:\n\nException 1 of 4: The environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN were not set with AWS credentials.");
        var resource = new AwsResource("DynamoDB table", "StudentRecords", "in region eu-west-1", "create it");

        var error = Assert.IsType<StorageAccessDeniedException>(AwsErrors.Translate(sdk, resource));

        AssertOneLine(error.Message, "No AWS credentials found for DynamoDB table 'StudentRecords' in region eu-west-1");
        Assert.Contains("AWS_PROFILE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Failures_that_are_not_the_storage_are_left_alone()
    {
        var resource = new AwsResource("S3 bucket", "ingestion", "at http://127.0.0.1:1", "create it");

        Assert.Null(AwsErrors.Translate(new AmazonS3Exception("The specified key does not exist.") { ErrorCode = "NoSuchKey", StatusCode = System.Net.HttpStatusCode.NotFound }, resource));
        Assert.Null(AwsErrors.Translate(new InvalidOperationException("a bug"), resource));
    }

    [Fact]
    public async Task A_usable_bucket_works_with_the_same_store_after_a_failure()
    {
        var store = new S3ObjectStore(S3());
        await Assert.ThrowsAsync<StorageResourceMissingException>(() => store.HeadAsync("no-such-bucket", "a.json"));

        await S3().PutBucketAsync(new PutBucketRequest { BucketName = "errors-then-fine" });
        var put = await store.PutAsync("errors-then-fine", "a.json", new MemoryStream([1, 2]));

        Assert.Equal(2, put.Size);
    }

    public void Dispose()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }
    }
}
