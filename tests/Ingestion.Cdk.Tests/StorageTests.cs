using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using Ingestion.Cdk.Tests.Support;

namespace Ingestion.Cdk.Tests;

[Collection(SharedTemplate.Name)]
public sealed class StorageTests(StackFixture synthesized)
{
    private readonly Storage _storage = synthesized.Stack.Storage;

    [Fact]
    public void Bucket_blocks_public_access_encrypts_and_keeps_versions()
    {
        var bucket = synthesized.Properties(_storage.Bucket);

        var block = bucket["PublicAccessBlockConfiguration"]!.AsObject();
        Assert.All(new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" },
            setting => Assert.True(block[setting]!.GetValue<bool>(), setting));
        Assert.Equal("AES256",
            bucket["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]!.GetValue<string>());
        Assert.Equal("Enabled", bucket["VersioningConfiguration"]!["Status"]!.GetValue<string>());
        Assert.Equal("BucketOwnerEnforced", bucket["OwnershipControls"]!["Rules"]![0]!["ObjectOwnership"]!.GetValue<string>());
    }

    [Fact]
    public void Bucket_logs_server_access_to_a_separate_encrypted_private_expiring_bucket()
    {
        var bucket = synthesized.Properties(_storage.Bucket);
        var logs = synthesized.Properties(_storage.AccessLogs);

        var logging = bucket["LoggingConfiguration"]!;
        Assert.Equal(synthesized.Id(_storage.AccessLogs), logging["DestinationBucketName"]!["Ref"]!.GetValue<string>());
        Assert.Equal(Storage.AccessLogPrefix, logging["LogFilePrefix"]!.GetValue<string>());
        Assert.Null(logs["LoggingConfiguration"]);
        var block = logs["PublicAccessBlockConfiguration"]!.AsObject();
        Assert.All(new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" },
            setting => Assert.True(block[setting]!.GetValue<bool>(), setting));
        // S3 log delivery writes SSE-S3 objects only.
        Assert.Equal("AES256",
            logs["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]!.GetValue<string>());
        Assert.Contains(logs["LifecycleConfiguration"]!["Rules"]!.AsArray(), rule => rule!["ExpirationInDays"]?.GetValue<int>() == Storage.AccessLogDays);
        foreach (var statement in new[]
        {
            new Dictionary<string, object>
            {
                ["Effect"] = "Deny",
                ["Condition"] = new Dictionary<string, object> { ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" } },
            },
            new Dictionary<string, object>
            {
                ["Effect"] = "Allow",
                ["Action"] = "s3:PutObject",
                ["Principal"] = new Dictionary<string, object> { ["Service"] = "logging.s3.amazonaws.com" },
            },
        })
        {
            synthesized.Template.HasResourceProperties("AWS::S3::BucketPolicy", new Dictionary<string, object>
            {
                ["Bucket"] = new Dictionary<string, object> { ["Ref"] = synthesized.Id(_storage.AccessLogs) },
                ["PolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Statement"] = Match.ArrayWith([Match.ObjectLike(statement)]),
                }),
            });
        }
    }

    [Fact]
    public void Bucket_sends_events_to_eventbridge_without_a_custom_resource()
    {
        var bucket = synthesized.Properties(_storage.Bucket);

        Assert.True(bucket["NotificationConfiguration"]!["EventBridgeConfiguration"]!["EventBridgeEnabled"]!.GetValue<bool>());
        Assert.Empty(synthesized.OfType("Custom::S3BucketNotifications"));
        Assert.DoesNotContain(synthesized.OfType("AWS::Lambda::Function"), f => f.Resource["Properties"]!["Runtime"]!.GetValue<string>() != "provided.al2023");
    }

    [Fact]
    public void Bucket_policy_denies_every_request_without_tls()
    {
        synthesized.Template.HasResourceProperties("AWS::S3::BucketPolicy", new Dictionary<string, object>
        {
            ["Bucket"] = new Dictionary<string, object> { ["Ref"] = synthesized.Id(_storage.Bucket) },
            ["PolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Effect"] = "Deny",
                    ["Action"] = "s3:*",
                    ["Principal"] = new Dictionary<string, object> { ["AWS"] = "*" },
                    ["Condition"] = new Dictionary<string, object>
                    {
                        ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" },
                    },
                })]),
            }),
        });
    }

    [Fact]
    public void Bucket_expires_results_after_30_days_and_moves_archive_to_infrequent_access_after_90()
    {
        var rules = synthesized.Properties(_storage.Bucket)["LifecycleConfiguration"]!["Rules"]!.AsArray()
            .Select(r => r!.AsObject()).ToList();

        var results = Assert.Single(rules, r => r["Prefix"]?.GetValue<string>() == "results/");
        Assert.Equal(30, results["ExpirationInDays"]!.GetValue<int>());
        Assert.Equal("Enabled", results["Status"]!.GetValue<string>());

        var archive = Assert.Single(rules, r => r["Prefix"]?.GetValue<string>() == "archive/");
        var transition = Assert.Single(archive["Transitions"]!.AsArray());
        Assert.Equal("STANDARD_IA", transition!["StorageClass"]!.GetValue<string>());
        Assert.Equal(90, transition["TransitionInDays"]!.GetValue<int>());
        Assert.Null(archive["ExpirationInDays"]);
    }

    [Fact]
    public void DataStores_are_retained_when_the_stack_is_deleted()
    {
        foreach (var construct in new Constructs.IConstruct[] { _storage.Bucket, _storage.Students, _storage.Files })
        {
            var resource = synthesized.Resource(construct);
            Assert.Equal("Retain", resource["DeletionPolicy"]!.GetValue<string>());
            Assert.Equal("Retain", resource["UpdateReplacePolicy"]!.GetValue<string>());
        }
    }

    [Fact]
    public void StudentRecords_is_keyed_by_student_id_on_demand_recoverable_protected_and_encrypted()
    {
        var table = synthesized.Properties(_storage.Students);

        Assert.Equal("HASH", Key(table, "StudentID"));
        Assert.Single(table["KeySchema"]!.AsArray());
        AssertProtected(table);
    }

    [Fact]
    public void StudentRecords_has_the_department_index()
    {
        var index = Assert.Single(synthesized.Properties(_storage.Students)["GlobalSecondaryIndexes"]!.AsArray())!;

        Assert.Equal("Department", index["IndexName"]!.GetValue<string>());
        Assert.Equal("Department", index["KeySchema"]![0]!["AttributeName"]!.GetValue<string>());
        Assert.Equal("HASH", index["KeySchema"]![0]!["KeyType"]!.GetValue<string>());
    }

    [Fact]
    public void IngestionFiles_is_on_demand_recoverable_protected_and_encrypted()
    {
        var table = synthesized.Properties(_storage.Files);

        Assert.Equal("HASH", Key(table, Storage.LedgerPartitionKey));
        Assert.Equal("RANGE", Key(table, Storage.LedgerSortKey));
        AssertProtected(table);
    }

    private static string Key(JsonObject table, string attribute) =>
        table["KeySchema"]!.AsArray().Single(k => k!["AttributeName"]!.GetValue<string>() == attribute)!["KeyType"]!.GetValue<string>();

    private static void AssertProtected(JsonObject table)
    {
        Assert.Equal("PAY_PER_REQUEST", table["BillingMode"]!.GetValue<string>());
        Assert.True(table["PointInTimeRecoverySpecification"]!["PointInTimeRecoveryEnabled"]!.GetValue<bool>());
        Assert.True(table["DeletionProtectionEnabled"]!.GetValue<bool>());
        Assert.True(table["SSESpecification"]!["SSEEnabled"]!.GetValue<bool>());
    }
}
