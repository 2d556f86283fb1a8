using System.Text.Json.Nodes;
using Ingestion.Cdk.Tests.Support;

namespace Ingestion.Cdk.Tests;

[Collection(SharedTemplate.Name)]
public sealed class TopicsTests(StackFixture synthesized)
{
    private readonly Topics _topics = synthesized.Stack.Topics;

    private IEnumerable<Amazon.CDK.AWS.SNS.Topic> All => [_topics.StudentEvents, _topics.AdminAlerts, _topics.OpsAlerts];

    [Fact]
    public void EveryTopic_is_encrypted_with_the_rotated_customer_key()
    {
        Assert.Equal(3, synthesized.OfType("AWS::SNS::Topic").Count());
        foreach (var topic in All)
        {
            Assert.Equal($"${{{synthesized.Id(_topics.Key)}.Arn}}", Render.Value(synthesized.Properties(topic)["KmsMasterKeyId"]));
        }

        Assert.True(synthesized.Properties(_topics.Key)["EnableKeyRotation"]!.GetValue<bool>());
    }

    [Fact]
    public void EveryTopic_denies_publishing_without_tls()
    {
        foreach (var topic in All)
        {
            var statements = PolicyOf(topic);
            Assert.Contains(statements, s =>
                s["Effect"]!.GetValue<string>() == "Deny"
                && Render.List(s["Action"]).SequenceEqual(["sns:Publish"])
                && s["Condition"]?["Bool"]?["aws:SecureTransport"]?.GetValue<string>() == "false");
        }
    }

    [Fact]
    public void OpsAlerts_lets_this_accounts_alarms_publish_and_use_the_key()
    {
        var allow = Assert.Single(PolicyOf(_topics.OpsAlerts), s => s["Effect"]!.GetValue<string>() == "Allow");
        Assert.Equal("cloudwatch.amazonaws.com", allow["Principal"]!["Service"]!.GetValue<string>());
        Assert.Equal("${AWS::AccountId}", Render.Value(allow["Condition"]!["StringEquals"]!["aws:SourceAccount"]));

        var keyStatements = synthesized.Properties(_topics.Key)["KeyPolicy"]!["Statement"]!.AsArray().Select(s => s!.AsObject());
        var cloudWatch = Assert.Single(keyStatements, s => s["Principal"]?["Service"]?.GetValue<string>() == "cloudwatch.amazonaws.com");
        Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey*"], Render.List(cloudWatch["Action"]));
    }

    [Fact]
    public void StudentEventsAndAdminAlerts_allow_nothing_through_their_topic_policy()
    {
        foreach (var topic in new[] { _topics.StudentEvents, _topics.AdminAlerts })
        {
            Assert.DoesNotContain(PolicyOf(topic), s => s["Effect"]!.GetValue<string>() == "Allow");
        }
    }

    [Fact]
    public void WithoutContext_nobody_is_subscribed()
    {
        Assert.Empty(synthesized.OfType("AWS::SNS::Subscription"));
    }

    private List<JsonObject> PolicyOf(Amazon.CDK.AWS.SNS.Topic topic)
    {
        var id = synthesized.Id(topic);
        var policy = Assert.Single(synthesized.OfType("AWS::SNS::TopicPolicy"),
            p => p.Resource["Properties"]!["Topics"]!.AsArray().Any(t => Render.Value(t) == $"${{{id}}}"));
        return policy.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()).ToList();
    }
}
