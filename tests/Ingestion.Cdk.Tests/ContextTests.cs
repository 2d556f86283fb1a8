using Ingestion.Cdk.Tests.Support;

namespace Ingestion.Cdk.Tests;

/// <summary>The deploy-time choices of README's <c>npx cdk deploy -c …</c>.</summary>
public sealed class ConfiguredStackFixture : StackFixture
{
    public ConfiguredStackFixture()
        : base(new Dictionary<string, object>
        {
            ["adminEmail"] = "registrar@example.edu",
            ["opsEmail"] = "ops@example.edu",
            ["syncSchedule"] = "cron(30 4 * * ? *)",
            ["syncGraceSeconds"] = "7200",
        }, assetDirectory: null)
    {
    }
}

public sealed class ContextTests(ConfiguredStackFixture synthesized) : IClassFixture<ConfiguredStackFixture>
{
    [Fact]
    public void AdminEmail_is_subscribed_to_admin_alerts_and_ops_email_to_ops_alerts()
    {
        var subscriptions = synthesized.OfType("AWS::SNS::Subscription")
            .Select(s => (Render.Value(s.Resource["Properties"]!["TopicArn"]), s.Resource["Properties"]!["Endpoint"]!.GetValue<string>(),
                s.Resource["Properties"]!["Protocol"]!.GetValue<string>()))
            .Order()
            .ToList();

        Assert.Equal(
            new[]
            {
                ($"${{{synthesized.Id(synthesized.Stack.Topics.AdminAlerts)}}}", "registrar@example.edu", "email"),
                ($"${{{synthesized.Id(synthesized.Stack.Topics.OpsAlerts)}}}", "ops@example.edu", "email"),
            }.Order(),
            subscriptions);
    }

    [Fact]
    public void SyncSchedule_and_grace_period_come_from_context()
    {
        var rule = synthesized.Properties(synthesized.Stack.Scheduling.SyncSchedule);

        Assert.Equal("cron(30 4 * * ? *)", rule["ScheduleExpression"]!.GetValue<string>());
        Assert.Equal("""{"graceSeconds":7200}""", rule["Targets"]![0]!["Input"]!.GetValue<string>());
    }
}

public sealed class DeploymentSettingsTests
{
    [Theory]
    [InlineData("0 2 * * ? *")]
    [InlineData("daily")]
    public void SyncSchedule_that_is_not_a_schedule_expression_is_refused(string schedule)
    {
        var error = Assert.Throws<ArgumentException>(() => new DeploymentSettings(SyncSchedule: schedule).Validate());
        Assert.Contains("syncSchedule", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("registrar")]
    [InlineData("a@b@c")]
    [InlineData("@example.edu")]
    public void AdminEmail_that_is_not_one_address_is_refused(string email)
    {
        var error = Assert.Throws<ArgumentException>(() => new DeploymentSettings(AdminEmail: email).Validate());
        Assert.Contains("adminEmail", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rate(12 hours)")]
    [InlineData("cron(0 2 * * ? *)")]
    public void ScheduleExpressions_are_accepted(string schedule)
    {
        new DeploymentSettings(SyncSchedule: schedule).Validate();
    }
}
