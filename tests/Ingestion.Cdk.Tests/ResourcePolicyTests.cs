using System.Text.Json.Nodes;
using Ingestion.Cdk.Tests.Support;

namespace Ingestion.Cdk.Tests;

/// <summary>What resource policies (bucket, topics, queue, key) allow, and that their denials are the TLS ones.</summary>
[Collection(SharedTemplate.Name)]
public sealed class ResourcePolicyTests(StackFixture synthesized)
{
    [Fact]
    public void ResourcePolicies_allow_only_the_services_that_deliver_to_us()
    {
        var stack = synthesized.Stack;
        var allows = Statements().Where(s => s.Statement["Effect"]!.GetValue<string>() == "Allow")
            .Select(s => $"{s.Resource}: {Principal(s.Statement)} may {string.Join(", ", Render.List(s.Statement["Action"]))}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(
            new[]
            {
                // The AWS default key policy: the account's IAM policies decide who uses the key (the roles' grants).
                $"{synthesized.Id(stack.Topics.Key)}: AWS:arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:root may kms:*",
                $"{synthesized.Id(stack.Topics.Key)}: Service:cloudwatch.amazonaws.com may kms:Decrypt, kms:GenerateDataKey*",
                $"{TopicPolicyOf(stack.Topics.OpsAlerts)}: Service:cloudwatch.amazonaws.com may sns:Publish",
                $"{QueuePolicy()}: Service:events.amazonaws.com may sqs:SendMessage",
                $"{QueuePolicy()}: Service:events.amazonaws.com may sqs:SendMessage",
                // S3 server access log delivery into the access-log bucket.
                $"{AccessLogsPolicy()}: Service:logging.s3.amazonaws.com may s3:PutObject",
            }.Order(StringComparer.Ordinal),
            allows);
    }

    [Fact]
    public void ResourcePolicies_deny_only_requests_without_tls()
    {
        var denies = Statements().Where(s => s.Statement["Effect"]!.GetValue<string>() == "Deny").ToList();

        Assert.Equal(6, denies.Count); // the bucket, the access-log bucket, three topics, the queue
        Assert.All(denies, d => Assert.Equal("false", d.Statement["Condition"]!["Bool"]!["aws:SecureTransport"]!.GetValue<string>()));
    }

    private static string Principal(JsonObject statement) => statement["Principal"] switch
    {
        JsonObject principal => string.Join(",", principal.Select(p => $"{p.Key}:{Render.Value(p.Value)}")),
        var other => Render.Value(other),
    };

    private IEnumerable<(string Resource, JsonObject Statement)> Statements()
    {
        foreach (var (type, document) in new[]
        {
            ("AWS::S3::BucketPolicy", "PolicyDocument"),
            ("AWS::SNS::TopicPolicy", "PolicyDocument"),
            ("AWS::SQS::QueuePolicy", "PolicyDocument"),
            ("AWS::KMS::Key", "KeyPolicy"),
        })
        {
            foreach (var (id, resource) in synthesized.OfType(type))
            {
                foreach (var statement in resource["Properties"]![document]!["Statement"]!.AsArray())
                {
                    yield return (id, statement!.AsObject());
                }
            }
        }
    }

    private string TopicPolicyOf(Amazon.CDK.AWS.SNS.Topic topic) => synthesized.OfType("AWS::SNS::TopicPolicy")
        .Single(p => p.Resource["Properties"]!["Topics"]!.AsArray().Any(t => Render.Value(t) == $"${{{synthesized.Id(topic)}}}")).Id;

    private string QueuePolicy() => Assert.Single(synthesized.OfType("AWS::SQS::QueuePolicy")).Id;

    private string AccessLogsPolicy() => Assert.Single(synthesized.OfType("AWS::S3::BucketPolicy"), p => p.Id.Contains("AccessLogs", StringComparison.Ordinal)).Id;
}
