using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.S3;
using Constructs;
using DynamoAttribute = Amazon.CDK.AWS.DynamoDB.Attribute;

namespace Ingestion.Cdk;

/// <summary>The bucket batches arrive in, and the two tables: student records and the ledger of ingested files.</summary>
/// <remarks>All three are retained when the stack is deleted: they hold the institution's data, not ours.</remarks>
internal sealed class Storage : Construct
{
    /// <summary>Key prefixes of the bucket, as the handlers and definitions use them.</summary>
    public const string Incoming = "incoming/";
    public const string Results = "results/";
    public const string Reports = "reports/";
    public const string Archive = "archive/";
    public const string Quarantine = "quarantine/";

    public const string DepartmentIndex = "Department";

    /// <summary>Prefix of the bucket's server access logs in <see cref="AccessLogs"/>.</summary>
    public const string AccessLogPrefix = "ingestion-bucket/";

    /// <summary>How long server access logs are kept: long enough to answer who fetched or removed a file.</summary>
    public const int AccessLogDays = 365;

    public Storage(Construct scope, string id)
        : base(scope, id)
    {
        // Who read, wrote or deleted student files: S3 server access logs, in a bucket of their own (a bucket logging
        // into itself logs its own log writes). SSE-S3, because S3 log delivery cannot write SSE-KMS objects; delivery
        // is granted by a bucket policy to the logging service (CDK adds it; no ACLs with owner-enforced ownership).
        // It does not log itself: that would be logs of logs.
        // The feature flag makes CDK grant delivery by bucket policy instead of the LogDeliveryWrite ACL, which S3
        // refuses on a bucket whose ownership is enforced (ACLs disabled). Set here, before the buckets, so the app and
        // the tests synthesize the same thing whatever cdk.json says.
        Node.SetContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);
        AccessLogs = new Bucket(this, "AccessLogs", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            EnforceSSL = true,
            Encryption = BucketEncryption.S3_MANAGED,
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules =
            [
                new LifecycleRule { Id = "ExpireAccessLogs", Expiration = Duration.Days(AccessLogDays) },
            ],
        });

        Bucket = new Bucket(this, "Bucket", new BucketProps
        {
            ServerAccessLogsBucket = AccessLogs,
            ServerAccessLogsPrefix = AccessLogPrefix,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            EnforceSSL = true,
            // SSE-S3: encrypted at rest without a key policy every reader (Step Functions' ItemReader included) must be granted.
            Encryption = BucketEncryption.S3_MANAGED,
            // The ledger registers object versions, and the ItemReader reads exactly the registered one.
            Versioned = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = "ExpireMapResults",
                    Prefix = Results,
                    Expiration = Duration.Days(30),
                    NoncurrentVersionExpiration = Duration.Days(1),
                },
                new LifecycleRule
                {
                    Id = "ArchiveToInfrequentAccess",
                    Prefix = Archive,
                    Transitions = [new Transition { StorageClass = StorageClass.INFREQUENT_ACCESS, TransitionAfter = Duration.Days(90) }],
                },
                new LifecycleRule
                {
                    // Moving a file to archive/ leaves its incoming/ version behind a delete marker; keep it a while for recovery.
                    Id = "ExpireMovedIncomingVersions",
                    Prefix = Incoming,
                    NoncurrentVersionExpiration = Duration.Days(90),
                    ExpiredObjectDeleteMarker = true,
                },
                new LifecycleRule
                {
                    // The ResultWriter uploads large result files in parts.
                    Id = "AbortIncompleteUploads",
                    AbortIncompleteMultipartUploadAfter = Duration.Days(7),
                },
            ],
        });

        // Object Created events go to EventBridge. Set on the CloudFormation resource: BucketProps.EventBridgeEnabled
        // deploys a custom-resource Lambda whose role may change the notifications of every bucket in the account.
        var cfnBucket = (CfnBucket)Bucket.Node.DefaultChild!;
        cfnBucket.NotificationConfiguration = new CfnBucket.NotificationConfigurationProperty
        {
            EventBridgeConfiguration = new CfnBucket.EventBridgeConfigurationProperty { EventBridgeEnabled = true },
        };

        // Physical names are left to CloudFormation (the functions get them from the environment), so two stacks can
        // share an account; the construct ids keep the names DESIGN.md uses recognisable.
        Students = new Table(this, "StudentRecords", new TableProps
        {
            PartitionKey = new DynamoAttribute { Name = "StudentID", Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            DeletionProtection = true,
            Encryption = TableEncryption.AWS_MANAGED,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        Students.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
        {
            IndexName = DepartmentIndex,
            PartitionKey = new DynamoAttribute { Name = "Department", Type = AttributeType.STRING },
            SortKey = new DynamoAttribute { Name = "StudentID", Type = AttributeType.STRING },
            ProjectionType = ProjectionType.ALL,
        });

        // The ledger, keyed as the handlers' DynamoDbSchema says: one item per object version. The two history
        // indexes serve `ingest files list` (one key's registrations, or all of them), newest first.
        Files = new Table(this, "IngestionFiles", new TableProps
        {
            PartitionKey = new DynamoAttribute { Name = LedgerPartitionKey, Type = AttributeType.STRING },
            SortKey = new DynamoAttribute { Name = LedgerSortKey, Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            DeletionProtection = true,
            Encryption = TableEncryption.AWS_MANAGED,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        foreach (var (index, partitionKey) in new[] { (KeyHistoryIndex, "Key"), (HistoryIndex, "History") })
        {
            Files.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
            {
                IndexName = index,
                PartitionKey = new DynamoAttribute { Name = partitionKey, Type = AttributeType.STRING },
                SortKey = new DynamoAttribute { Name = "RegisteredAt", Type = AttributeType.STRING },
                ProjectionType = ProjectionType.ALL,
            });
        }
    }

    /// <summary>The ledger's key: <c>bucket/key</c>, then the object version.</summary>
    public const string LedgerPartitionKey = "FileKey";
    public const string LedgerSortKey = "Version";

    public const string KeyHistoryIndex = "KeyHistory";
    public const string HistoryIndex = "History";

    public Bucket Bucket { get; }

    /// <summary>Where <see cref="Bucket"/>'s server access logs go.</summary>
    public Bucket AccessLogs { get; }

    public Table Students { get; }

    public Table Files { get; }

    /// <summary>The ARN of every object under <paramref name="prefix"/>.</summary>
    public string ObjectsUnder(string prefix) => Bucket.ArnForObjects(prefix + "*");
}
