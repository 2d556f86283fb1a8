using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;

namespace Ingestion.Cdk;

/// <summary>
/// The IngestFile and NightlySync state machines, and ProcessBatch, the EXPRESS batch workflow every Distributed Map of
/// IngestFile runs, from <c>pipeline/definitions/*.asl.json</c> with substitutions.
/// </summary>
/// <remarks>
/// <para>
/// The file's text is the definition (<c>DefinitionString</c>, with CloudFormation's <c>DefinitionSubstitutions</c> for
/// the ARNs): <c>DefinitionBody.FromFile</c> would upload it as an S3 asset instead, which hides the definition from the
/// template and from <c>cdk diff</c>.
/// </para>
/// <para>
/// Roles are written here, not derived from the definitions. A Distributed Map starts its child executions as its own
/// state machine, so the role needs <c>states:StartExecution</c> on itself; the ARN is built from the explicit
/// state machine name, because referencing the resource would make the role depend on the state machine that
/// depends on the role.
/// </para>
/// <para>
/// Logging: level ERROR without execution data. The EXPRESS child workflows of the Distributed Map log to the parent's
/// log group at the parent's level; at ALL every state of every 500-student batch would be written (CloudWatch Logs
/// ingestion is most of what a run would cost), and with execution data the students' names and e-mail addresses,
/// which DESIGN.md keeps out of logs. Per-run detail lives in the report; per-state detail in the X-Ray traces.
/// ProcessBatch, the EXPRESS state machine each child starts, logs at the same level to a log group of its own.
/// </para>
/// </remarks>
internal sealed class Workflows : Construct
{
    public const string IngestFileFile = "ingest-file.asl.json";
    public const string NightlySyncFile = "nightly-sync.asl.json";
    public const string ProcessBatchFile = "process-batch.asl.json";

    public Workflows(Construct scope, string id, string definitionsDirectory, Storage storage, Topics topics, Functions functions)
        : base(scope, id)
    {
        var stack = Stack.Of(this);
        IngestFileDefinition = DefinitionFile.Load(definitionsDirectory, IngestFileFile);
        NightlySyncDefinition = DefinitionFile.Load(definitionsDirectory, NightlySyncFile);
        ProcessBatchDefinition = DefinitionFile.Load(definitionsDirectory, ProcessBatchFile);
        IngestFileName = $"{stack.StackName}-IngestFile";
        NightlySyncName = $"{stack.StackName}-NightlySync";
        ProcessBatchName = $"{stack.StackName}-ProcessBatch";

        var batchRole = NewRole("ProcessBatchRole", "Ingestion ProcessBatch state machine");
        batchRole.AddAll(
        [
            Iam.Allow("InvokeBatchHandlers", ["lambda:InvokeFunction"], [functions.ValidateStudents.FunctionArn, functions.StoreStudents.FunctionArn]),
            .. topics.PublishTo("PublishNotifications", topics.StudentEvents),
        ]);
        ProcessBatch = NewStateMachine("ProcessBatch", ProcessBatchName, StateMachineType.EXPRESS, ProcessBatchDefinition, batchRole, new Dictionary<string, string>
        {
            ["ValidateStudentsFunctionArn"] = functions.ValidateStudents.FunctionArn,
            ["StoreStudentsFunctionArn"] = functions.StoreStudents.FunctionArn,
            ["StudentEventsTopicArn"] = topics.StudentEvents.TopicArn,
        });

        var ingestRole = NewRole("IngestFileRole", "Ingestion IngestFile state machine");
        ingestRole.AddAll(
        [
            Iam.Allow("InvokeHandlers", ["lambda:InvokeFunction"], [functions.RegisterFile.FunctionArn, functions.SummarizeRun.FunctionArn]),
            // Each map's children run the batch workflow to its end (aws-sdk:sfn:startSyncExecution).
            Iam.Allow("RunProcessBatch", ["states:StartSyncExecution"], [ProcessBatch.StateMachineArn]),
            // The ItemReader reads the registered version of the uploaded object.
            Iam.Allow("ReadIncomingObject", ["s3:GetObject", "s3:GetObjectVersion"], [storage.ObjectsUnder(Storage.Incoming)]),
            // The ResultWriter's manifest and result files, written in parts when large (AWS: "IAM policies for ResultWriter");
            // read back by FindFailedBatches (the manifest) and RetryFailedBatches' ItemReader (a FAILED file).
            Iam.Allow("WriteMapResults",
                ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"],
                [storage.ObjectsUnder(Storage.Results)]),
            .. topics.PublishTo("PublishSummary", topics.AdminAlerts),
            .. DistributedMapStatements(IngestFileName),
        ]);

        IngestFile = NewStateMachine("IngestFile", IngestFileName, StateMachineType.STANDARD, IngestFileDefinition, ingestRole, new Dictionary<string, string>
        {
            ["RegisterFileFunctionArn"] = functions.RegisterFile.FunctionArn,
            ["SummarizeRunFunctionArn"] = functions.SummarizeRun.FunctionArn,
            ["ProcessBatchStateMachineArn"] = ProcessBatch.StateMachineArn,
            ["AdminAlertsTopicArn"] = topics.AdminAlerts.TopicArn,
        });

        var syncRole = NewRole("NightlySyncRole", "Ingestion NightlySync state machine");
        syncRole.AddAll(
        [
            // The ItemReader lists incoming/ (ListObjectsV2 with Prefix "incoming/").
            Iam.Allow("ListIncoming", ["s3:ListBucket"], [storage.Bucket.BucketArn], Iam.StringLike("s3:prefix", Storage.Incoming + "*")),
            // startExecution.sync:2 of IngestFile: start it, then follow it through the managed EventBridge rule.
            Iam.Allow("StartIngestFile", ["states:StartExecution"], [IngestFile.StateMachineArn]),
            Iam.Allow("FollowIngestFile", ["states:DescribeExecution", "states:StopExecution"], [ExecutionsOf(IngestFileName)]),
            Iam.Allow("FollowIngestFileEvents",
                ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
                [stack.FormatArn(new ArnComponents
                {
                    Service = "events",
                    Resource = "rule",
                    ResourceName = "StepFunctionsGetEventsForStepFunctionsExecutionRule",
                    ArnFormat = ArnFormat.SLASH_RESOURCE_NAME,
                })]),
            // PutMetricData has no resource-level permissions: Resource "*" is the only form AWS accepts, so the
            // statement is narrowed to our namespace instead.
            Iam.Allow("PutStaleFilesMetric", ["cloudwatch:PutMetricData"], ["*"], Iam.StringEquals("cloudwatch:namespace", Telemetry.Namespace)),
            // The map's ResultWriter puts each file's result under results/nightly-sync/ (in parts when large), and
            // SummarizeSync has SummarizeRun read them back into the digest: the night's files never pass through
            // this execution's state, however many there are.
            Iam.Allow("WriteSyncResults",
                ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"],
                [storage.ObjectsUnder(Storage.Results)]),
            Iam.Allow("InvokeDigest", ["lambda:InvokeFunction"], [functions.SummarizeRun.FunctionArn]),
            .. topics.PublishTo("PublishDigest", topics.AdminAlerts),
            .. DistributedMapStatements(NightlySyncName),
        ]);

        NightlySync = NewStateMachine("NightlySync", NightlySyncName, StateMachineType.STANDARD, NightlySyncDefinition, syncRole, new Dictionary<string, string>
        {
            ["BucketName"] = storage.Bucket.BucketName,
            ["IngestFileStateMachineArn"] = IngestFile.StateMachineArn,
            ["SummarizeRunFunctionArn"] = functions.SummarizeRun.FunctionArn,
            ["AdminAlertsTopicArn"] = topics.AdminAlerts.TopicArn,
        });
    }

    public DefinitionFile IngestFileDefinition { get; }

    public DefinitionFile NightlySyncDefinition { get; }

    public DefinitionFile ProcessBatchDefinition { get; }

    public string IngestFileName { get; }

    public string NightlySyncName { get; }

    public string ProcessBatchName { get; }

    public StateMachine IngestFile { get; }

    public StateMachine NightlySync { get; }

    public StateMachine ProcessBatch { get; }

    /// <summary>The ARN under which a Distributed Map's child executions report metrics: <c>stateMachine:Name/Label</c>.</summary>
    public string MapRunArn(string stateMachineName, string label) => Stack.Of(this).FormatArn(new ArnComponents
    {
        Service = "states",
        Resource = "stateMachine",
        ResourceName = $"{stateMachineName}/{label}",
        ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
    });

    /// <summary>What a state machine with a Distributed Map needs on itself (AWS: "IAM policies for using Distributed Map states").</summary>
    private IEnumerable<PolicyStatement> DistributedMapStatements(string name)
    {
        var stack = Stack.Of(this);
        var self = stack.FormatArn(new ArnComponents
        {
            Service = "states",
            Resource = "stateMachine",
            ResourceName = name,
            ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
        });
        // Child executions are named "Name/Label:…"; the parent's own executions "Name:…".
        var children = stack.FormatArn(new ArnComponents
        {
            Service = "states",
            Resource = "execution",
            ResourceName = $"{name}/*",
            ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
        });
        yield return Iam.Allow("StartMapRunChildren", ["states:StartExecution"], [self]);
        yield return Iam.Allow("WatchMapRunChildren", ["states:DescribeExecution", "states:StopExecution"], [ExecutionsOf(name), children]);
        // Redriving a failed run restarts the map run's failed children.
        yield return Iam.Allow("RedriveMapRunChildren", ["states:RedriveExecution"], [children + ":*"]);
    }

    private string ExecutionsOf(string name) => Stack.Of(this).FormatArn(new ArnComponents
    {
        Service = "states",
        Resource = "execution",
        ResourceName = $"{name}:*",
        ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
    });

    private Role NewRole(string id, string description) => new(this, id, new RoleProps
    {
        AssumedBy = new ServicePrincipal("states.amazonaws.com"),
        Description = description,
    });

    private StateMachine NewStateMachine(string id, string name, StateMachineType type, DefinitionFile definition, Role role, Dictionary<string, string> substitutions)
    {
        definition.RequireExactly(substitutions.Keys);
        var logs = new LogGroup(this, id + "Logs", new LogGroupProps
        {
            // The /aws/vendedlogs/ prefix keeps Step Functions from adding a statement per log group to the account's
            // CloudWatch Logs resource policy, which is limited in size.
            LogGroupName = $"/aws/vendedlogs/states/{name}",
            Retention = RetentionDays.THREE_MONTHS,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        return new StateMachine(this, id, new StateMachineProps
        {
            StateMachineName = name,
            StateMachineType = type,
            DefinitionBody = DefinitionBody.FromString(definition.Text),
            DefinitionSubstitutions = substitutions,
            Role = role,
            Logs = new LogOptions { Destination = logs, Level = LogLevel.ERROR, IncludeExecutionData = false },
            TracingEnabled = true,
        });
    }
}
