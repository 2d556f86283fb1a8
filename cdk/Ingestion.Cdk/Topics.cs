using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;

namespace Ingestion.Cdk;

/// <summary>The three topics: student changes for subscribers, run summaries for the registrar, alarms for operations.</summary>
/// <remarks>
/// Encrypted with one customer-managed key: CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed
/// SNS key, and OpsAlerts exists for alarms. Publishing to an encrypted topic needs <c>kms:GenerateDataKey</c> and
/// <c>kms:Decrypt</c> on the key, which the publishers' roles get next to <c>sns:Publish</c>.
/// </remarks>
internal sealed class Topics : Construct
{
    public Topics(Construct scope, string id, DeploymentSettings settings)
        : base(scope, id)
    {
        Key = new Key(this, "TopicsKey", new KeyProps
        {
            Description = "Encrypts the Ingestion topics (StudentEvents, AdminAlerts, OpsAlerts).",
            EnableKeyRotation = true,
        });
        // In a key policy "*" is this key. CloudWatch calls KMS itself when an alarm publishes to OpsAlerts.
        Key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AllowCloudWatchAlarmsToPublishEncrypted",
            Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resources = ["*"],
        }));

        StudentEvents = NewTopic("StudentEvents", "Ingestion student changes");
        AdminAlerts = NewTopic("AdminAlerts", "Ingestion run summaries");
        OpsAlerts = NewTopic("OpsAlerts", "Ingestion alarms");

        // A topic policy replaces SNS's default one, which is what lets same-account alarms publish: say it again.
        OpsAlerts.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AllowCloudWatchAlarmsToPublish",
            Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["sns:Publish"],
            Resources = [OpsAlerts.TopicArn],
            Conditions = Iam.StringEquals("aws:SourceAccount", Aws.ACCOUNT_ID),
        }));

        if (settings.AdminEmail is { } admin)
        {
            AdminAlerts.AddSubscription(new EmailSubscription(admin));
        }

        if (settings.OpsEmail is { } ops)
        {
            OpsAlerts.AddSubscription(new EmailSubscription(ops));
        }
    }

    public Key Key { get; }

    /// <summary>One message per created, updated or replayed student; attributes ChangeType and Department for filtering.</summary>
    public Topic StudentEvents { get; }

    public Topic AdminAlerts { get; }

    public Topic OpsAlerts { get; }

    /// <summary><c>sns:Publish</c> (which also authorises PublishBatch) on the topics, and the key calls it needs.</summary>
    public IEnumerable<PolicyStatement> PublishTo(string sid, params Topic[] topics)
    {
        yield return Iam.Allow(sid, ["sns:Publish"], topics.Select(t => t.TopicArn).ToArray());
        yield return Iam.Allow(sid + "Encrypted", ["kms:GenerateDataKey", "kms:Decrypt"], [Key.KeyArn]);
    }

    private Topic NewTopic(string id, string displayName)
    {
        var topic = new Topic(this, id, new TopicProps { DisplayName = displayName, MasterKey = Key });
        // Written out instead of TopicProps.EnforceSSL: CDK 2.160 only adds that statement to a topic that gets some
        // other policy statement, so StudentEvents and AdminAlerts would silently accept plain HTTP.
        topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "DenyPublishWithoutTls",
            Effect = Effect.DENY,
            Principals = [new AnyPrincipal()],
            Actions = ["sns:Publish"],
            Resources = [topic.TopicArn],
            Conditions = new Dictionary<string, object> { ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" } },
        }));
        return topic;
    }
}
