using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace Ingestion.Cdk;

/// <summary>What starts the workflows: the Object Created rule (IngestFile) and the nightly schedule (NightlySync).</summary>
/// <remarks>
/// Both targets retry for a day and then park the event in one dead-letter queue, whose alarm tells operations; the
/// nightly sync is the second safety net for objects whose event was lost anyway.
/// </remarks>
internal sealed class Scheduling : Construct
{
    public const string IngestRuleFile = "ingest-rule.json";

    public Scheduling(Construct scope, string id, string definitionsDirectory, DeploymentSettings settings, Storage storage, Workflows workflows)
        : base(scope, id)
    {
        DeadLetters = new Queue(this, "EventDeadLetters", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = Duration.Days(14),
        });

        IngestRuleDefinition = DefinitionFile.Load(definitionsDirectory, IngestRuleFile);
        IngestRule = new Rule(this, "IngestOnObjectCreated", new RuleProps
        {
            Description = "An object created under incoming/ starts IngestFile with the event as its input.",
            EventPattern = RulePattern.From(IngestRuleDefinition, new Dictionary<string, string> { ["BucketName"] = storage.Bucket.BucketName }),
            Targets =
            [
                new SfnStateMachine(workflows.IngestFile, new SfnStateMachineProps
                {
                    DeadLetterQueue = DeadLetters,
                    RetryAttempts = 185,
                    MaxEventAge = Duration.Hours(24),
                }),
            ],
        });

        SyncSchedule = new Rule(this, "NightlySyncSchedule", new RuleProps
        {
            Description = "Starts NightlySync: ingests what is still in incoming/ after the grace period.",
            Schedule = Schedule.Expression(settings.SyncSchedule),
            Targets =
            [
                new SfnStateMachine(workflows.NightlySync, new SfnStateMachineProps
                {
                    Input = RuleTargetInput.FromObject(new Dictionary<string, object> { ["graceSeconds"] = settings.SyncGraceSeconds }),
                    DeadLetterQueue = DeadLetters,
                    RetryAttempts = 185,
                    MaxEventAge = Duration.Hours(6),
                }),
            ],
        });
    }

    public DefinitionFile IngestRuleDefinition { get; }

    public Queue DeadLetters { get; }

    public Rule IngestRule { get; }

    public Rule SyncSchedule { get; }
}
