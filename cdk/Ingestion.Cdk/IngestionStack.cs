using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Constructs;

namespace Ingestion.Cdk;

/// <summary>Everything DESIGN.md deploys: storage, topics, functions, the two workflows, what starts them, and monitoring.</summary>
/// <remarks>No <c>Env</c>: the template is account- and region-agnostic, so synth needs no credentials.</remarks>
internal sealed class IngestionStack : Stack
{
    public IngestionStack(Construct scope, string id, IngestionStackSettings settings, IStackProps? props = null)
        : base(scope, id, props)
    {
        settings.Deployment.Validate();
        Storage = new Storage(this, "Storage");
        Topics = new Topics(this, "Topics", settings.Deployment);
        Functions = new Functions(this, "Functions", Code.FromAsset(settings.HandlerAssetDirectory), Storage);
        Workflows = new Workflows(this, "Workflows", settings.DefinitionsDirectory, Storage, Topics, Functions);
        Scheduling = new Scheduling(this, "Scheduling", settings.DefinitionsDirectory, settings.Deployment, Storage, Workflows);
        Monitoring = new Monitoring(this, "Monitoring", Storage, Topics, Functions, Workflows, Scheduling);

        _ = new CfnOutput(this, "BucketName", new CfnOutputProps
        {
            Value = Storage.Bucket.BucketName,
            Description = "Upload batches under incoming/; reports appear under reports/.",
        });
        _ = new CfnOutput(this, "StudentEventsTopicArn", new CfnOutputProps
        {
            Value = Topics.StudentEvents.TopicArn,
            Description = "Subscribe here for student changes (filter on ChangeType and Department).",
        });
        _ = new CfnOutput(this, "IngestFileStateMachineArn", new CfnOutputProps { Value = Workflows.IngestFile.StateMachineArn });
        _ = new CfnOutput(this, "DashboardName", new CfnOutputProps { Value = Monitoring.Dashboard.DashboardName });
    }

    public Storage Storage { get; }

    public Topics Topics { get; }

    public Functions Functions { get; }

    public Workflows Workflows { get; }

    public Scheduling Scheduling { get; }

    public Monitoring Monitoring { get; }
}

/// <summary>What the stack is built from.</summary>
/// <param name="HandlerAssetDirectory">The published handlers (see <see cref="HandlerAsset"/>); tests may pass any folder.</param>
/// <param name="DefinitionsDirectory"><c>pipeline/definitions</c>.</param>
internal sealed record IngestionStackSettings(string HandlerAssetDirectory, string DefinitionsDirectory, DeploymentSettings Deployment);
