using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using Ingestion.Cdk.Tests.Support;

namespace Ingestion.Cdk.Tests;

[Collection(SharedTemplate.Name)]
public sealed class StorageTests(StackFixture synthesized)
{
    private readonly Storage _storage = synthesized.Stack.Storage;

    [Fact]
    public void Bucket_BlocksPublicAccessEncryptsAndKeepsVersions()
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
    public void Bucket_SendsEventsToEventBridgeWithoutACustomResource()
    {
        var bucket = synthesized.Properties(_storage.Bucket);

        Assert.True(bucket["NotificationConfiguration"]!["EventBridgeConfiguration"]!["EventBridgeEnabled"]!.GetValue<bool>());
        Assert.Empty(synthesized.OfType("Custom::S3BucketNotifications"));
        Assert.DoesNotContain(synthesized.OfType("AWS::Lambda::Function"), f => f.Resource["Properties"]!["Runtime"]!.GetValue<string>() != "provided.al2023");
    }

    [Fact]
    public void Bucket_PolicyDeniesEveryRequestWithoutTls()
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
    public void Bucket_ExpiresResultsAfter30DaysAndMovesArchiveToInfrequentAccessAfter90()
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
    public void DataStores_AreRetainedWhenTheStackIsDeleted()
    {
        foreach (var construct in new Constructs.IConstruct[] { _storage.Bucket, _storage.Students, _storage.Files })
        {
            var resource = synthesized.Resource(construct);
            Assert.Equal("Retain", resource["DeletionPolicy"]!.GetValue<string>());
            Assert.Equal("Retain", resource["UpdateReplacePolicy"]!.GetValue<string>());
        }
    }

    [Fact]
    public void StudentRecords_IsKeyedByStudentIdOnDemandRecoverableProtectedAndEncrypted()
    {
        var table = synthesized.Properties(_storage.Students);

        Assert.Equal("HASH", Key(table, "StudentID"));
        Assert.Single(table["KeySchema"]!.AsArray());
        AssertProtected(table);
    }

    [Fact]
    public void StudentRecords_HasTheDepartmentIndex()
    {
        var index = Assert.Single(synthesized.Properties(_storage.Students)["GlobalSecondaryIndexes"]!.AsArray())!;

        Assert.Equal("Department", index["IndexName"]!.GetValue<string>());
        Assert.Equal("Department", index["KeySchema"]![0]!["AttributeName"]!.GetValue<string>());
        Assert.Equal("HASH", index["KeySchema"]![0]!["KeyType"]!.GetValue<string>());
    }

    [Fact]
    public void IngestionFiles_IsOnDemandRecoverableProtectedAndEncrypted()
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
