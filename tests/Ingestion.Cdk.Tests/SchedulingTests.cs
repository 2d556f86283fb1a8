using System.Text.Json.Nodes;
using Ingestion.Cdk.Tests.Support;

namespace Ingestion.Cdk.Tests;

[Collection(SharedTemplate.Name)]
public sealed class SchedulingTests(StackFixture synthesized)
{
    private readonly Scheduling _scheduling = synthesized.Stack.Scheduling;

    [Fact]
    public void IngestRule_pattern_is_the_rule_file_with_the_bucket_filled_in()
    {
        var file = File.ReadAllText(Path.Combine(synthesized.Layout.DefinitionsDirectory, Scheduling.IngestRuleFile))
            .Replace("${BucketName}", $"${{{synthesized.Id(synthesized.Stack.Storage.Bucket)}}}", StringComparison.Ordinal);
        var deployed = Render.Resolve(synthesized.Properties(_scheduling.IngestRule)["EventPattern"]);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(file), deployed), deployed?.ToJsonString());
    }

    [Fact]
    public void IngestRule_starts_ingest_file_retries_for_a_day_then_dead_letters()
    {
        var target = Assert.Single(synthesized.Properties(_scheduling.IngestRule)["Targets"]!.AsArray())!;

        Assert.Equal($"${{{synthesized.Id(synthesized.Stack.Workflows.IngestFile)}}}", Render.Value(target["Arn"]));
        Assert.Null(target["Input"]);
        Assert.Equal($"${{{synthesized.Id(_scheduling.DeadLetters)}.Arn}}", Render.Value(target["DeadLetterConfig"]!["Arn"]));
        Assert.Equal(185, target["RetryPolicy"]!["MaximumRetryAttempts"]!.GetValue<int>());
        Assert.Equal(86400, target["RetryPolicy"]!["MaximumEventAgeInSeconds"]!.GetValue<int>());
    }

    [Fact]
    public void SyncSchedule_runs_nightly_sync_at_0200_utc_with_the_grace_period()
    {
        var rule = synthesized.Properties(_scheduling.SyncSchedule);
        var target = Assert.Single(rule["Targets"]!.AsArray())!;

        Assert.Equal("cron(0 2 * * ? *)", rule["ScheduleExpression"]!.GetValue<string>());
        Assert.Equal($"${{{synthesized.Id(synthesized.Stack.Workflows.NightlySync)}}}", Render.Value(target["Arn"]));
        Assert.Equal("""{"graceSeconds":3600}""", target["Input"]!.GetValue<string>());
        Assert.Equal($"${{{synthesized.Id(_scheduling.DeadLetters)}.Arn}}", Render.Value(target["DeadLetterConfig"]!["Arn"]));
    }

    [Fact]
    public void DeadLetterQueue_is_encrypted_and_only_the_rules_may_send_to_it()
    {
        var queue = synthesized.Properties(_scheduling.DeadLetters);
        Assert.True(queue["SqsManagedSseEnabled"]!.GetValue<bool>());

        var policy = Assert.Single(synthesized.OfType("AWS::SQS::QueuePolicy")).Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
        var allows = policy.Where(s => s!["Effect"]!.GetValue<string>() == "Allow").ToList();
        Assert.Equal(2, allows.Count);
        Assert.All(allows, s =>
        {
            Assert.Equal("events.amazonaws.com", s!["Principal"]!["Service"]!.GetValue<string>());
            Assert.Equal(["sqs:SendMessage"], Render.List(s["Action"]));
            Assert.NotNull(s["Condition"]!["ArnEquals"]!["aws:SourceArn"]);
        });
        Assert.Contains(policy, s => s!["Effect"]!.GetValue<string>() == "Deny"
            && s["Condition"]?["Bool"]?["aws:SecureTransport"]?.GetValue<string>() == "false");
    }
}
