using Ingestion.Cdk.Tests.Support;

namespace Ingestion.Cdk.Tests;

/// <summary>Issue 7, point 3: every role has only the actions it needs on the resources it needs.</summary>
/// <remarks>
/// The expected grants below are the reviewable allow-list: a new permission fails these tests until it is added here,
/// with its reason next to it in the stack's code.
/// </remarks>
[Collection(SharedTemplate.Name)]
public sealed class LeastPrivilegeTests(StackFixture synthesized)
{
    /// <summary>Services whose APIs accept no narrower resource than <c>*</c> (AWS Service Authorization Reference).</summary>
    private static readonly string[][] WildcardResourceExceptions =
    [
        // CloudWatch Logs vended log delivery, which a state machine's logging configuration uses.
        ["logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies",
            "logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery"],
        // X-Ray tracing of the state machines.
        ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"],
        // PutMetricData (NightlySync's StaleFiles), narrowed by a namespace condition instead.
        ["cloudwatch:PutMetricData"],
    ];

    private readonly List<Grant> _grants = Grants.All(synthesized);

    [Fact]
    public void NoStatement_grants_a_wildcard_action()
    {
        Assert.NotEmpty(_grants);
        Assert.All(_grants, g => Assert.DoesNotContain(g.Actions, a => a.Contains('*', StringComparison.Ordinal)));
    }

    [Fact]
    public void NoRole_has_a_managed_policy()
    {
        Assert.Empty(synthesized.OfType("AWS::IAM::ManagedPolicy"));
        Assert.All(synthesized.OfType("AWS::IAM::Role"), r => Assert.Null(r.Resource["Properties"]!["ManagedPolicyArns"]));
    }

    [Fact]
    public void EveryStatement_Allows()
    {
        Assert.All(_grants, g => Assert.Equal("Allow", g.Effect));
    }

    [Fact]
    public void WildcardResources_are_only_the_documented_exceptions()
    {
        foreach (var grant in _grants.Where(g => g.Resources.Contains("*")))
        {
            Assert.True(grant.Resources.Count == 1, grant.ToString());
            Assert.Contains(WildcardResourceExceptions, exception => exception.SequenceEqual(grant.Actions));
        }
    }

    [Fact]
    public void PutMetricData_is_limited_to_the_student_ingestion_namespace()
    {
        var grant = Assert.Single(_grants, g => g.Actions.Contains("cloudwatch:PutMetricData"));
        Assert.Equal("""{"StringEquals":{"cloudwatch:namespace":"StudentIngestion"}}""", grant.Condition);
    }

    [Fact]
    public void ServiceWildcardGrants_belong_to_the_state_machines_only()
    {
        var workflows = synthesized.Stack.Workflows;
        var stateMachineRoles = new[] { Role(workflows.IngestFile.Role), Role(workflows.NightlySync.Role), Role(workflows.ProcessBatch.Role) };

        Assert.All(_grants.Where(g => g.Resources.Contains("*")), g => Assert.Contains(g.Role, stateMachineRoles));
    }

    [Fact]
    public void RegisterFile_heads_incoming_objects_and_writes_the_ledger()
    {
        var storage = synthesized.Stack.Storage;
        AssertGrants(synthesized.Stack.Functions.RegisterFile.Role!,
            LogsOf("RegisterFile"),
            Allow(["s3:GetObject", "s3:GetObjectVersion"], $"{Arn(storage.Bucket)}/incoming/*"),
            Allow(["s3:ListBucket"], Arn(storage.Bucket)),
            Allow(["dynamodb:GetItem", "dynamodb:PutItem"], Arn(storage.Files)),
            Allow(["dynamodb:Query"], $"{Arn(storage.Files)}/index/KeyHistory"));
    }

    [Fact]
    public void ValidateStudents_only_writes_its_logs()
    {
        AssertGrants(synthesized.Stack.Functions.ValidateStudents.Role!, LogsOf("ValidateStudents"));
    }

    [Fact]
    public void StoreStudents_reads_and_writes_student_records_only()
    {
        AssertGrants(synthesized.Stack.Functions.StoreStudents.Role!,
            LogsOf("StoreStudents"),
            Allow(["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], Arn(synthesized.Stack.Storage.Students)));
    }

    [Fact]
    public void SummarizeRun_reads_results_writes_reports_moves_the_file_and_completes_the_ledger()
    {
        var storage = synthesized.Stack.Storage;
        var bucket = Arn(storage.Bucket);
        AssertGrants(synthesized.Stack.Functions.SummarizeRun.Role!,
            LogsOf("SummarizeRun"),
            Allow(["s3:GetObject"], $"{bucket}/results/*"),
            Allow(["s3:ListBucket"], bucket),
            Allow(["s3:PutObject"], $"{bucket}/reports/*"),
            Allow(["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectVersion"], $"{bucket}/incoming/*"),
            Allow(["s3:PutObject"], $"{bucket}/archive/*", $"{bucket}/quarantine/*"),
            Allow(["dynamodb:GetItem", "dynamodb:PutItem"], Arn(storage.Files)));
    }

    [Fact]
    public void IngestFile_invokes_its_handlers_reads_incoming_and_results_runs_process_batch_publishes_the_summary_and_runs_its_own_map()
    {
        var stack = synthesized.Stack;
        var bucket = Arn(stack.Storage.Bucket);
        AssertGrants(stack.Workflows.IngestFile.Role,
        [
            Allow(["lambda:InvokeFunction"], Arn(stack.Functions.RegisterFile), Arn(stack.Functions.SummarizeRun)),
            Allow(["states:StartSyncExecution"], Ref(stack.Workflows.ProcessBatch)),
            Allow(["s3:GetObject", "s3:GetObjectVersion"], $"{bucket}/incoming/*"),
            Allow(["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"], $"{bucket}/results/*"),
            Allow(["sns:Publish"], Ref(stack.Topics.AdminAlerts)),
            Allow(["kms:Decrypt", "kms:GenerateDataKey"], Arn(stack.Topics.Key)),
            .. DistributedMap("Ingestion-IngestFile"),
            .. ServiceWildcards(),
        ]);
    }

    [Fact]
    public void ProcessBatch_invokes_validate_and_store_and_publishes_student_events_only()
    {
        var stack = synthesized.Stack;
        AssertGrants(stack.Workflows.ProcessBatch.Role,
        [
            Allow(["lambda:InvokeFunction"], Arn(stack.Functions.ValidateStudents), Arn(stack.Functions.StoreStudents)),
            Allow(["sns:Publish"], Ref(stack.Topics.StudentEvents)),
            Allow(["kms:Decrypt", "kms:GenerateDataKey"], Arn(stack.Topics.Key)),
            .. ServiceWildcards(),
        ]);
    }

    [Fact]
    public void NightlySync_lists_incoming_starts_and_follows_ingest_file_writes_its_results_has_them_summarised_puts_its_metric_and_publishes_the_digest()
    {
        var stack = synthesized.Stack;
        var bucket = Arn(stack.Storage.Bucket);
        AssertGrants(stack.Workflows.NightlySync.Role,
        [
            Allow(["s3:ListBucket"], [Arn(stack.Storage.Bucket)], """{"StringLike":{"s3:prefix":["incoming/*"]}}"""),
            Allow(["states:StartExecution"], Ref(stack.Workflows.IngestFile)),
            Allow(["states:DescribeExecution", "states:StopExecution"], States("execution:Ingestion-IngestFile:*")),
            Allow(["events:DescribeRule", "events:PutRule", "events:PutTargets"],
                "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"),
            Allow(["cloudwatch:PutMetricData"], ["*"], """{"StringEquals":{"cloudwatch:namespace":"StudentIngestion"}}"""),
            Allow(["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"], $"{bucket}/results/*"),
            Allow(["lambda:InvokeFunction"], Arn(stack.Functions.SummarizeRun)),
            Allow(["sns:Publish"], Ref(stack.Topics.AdminAlerts)),
            Allow(["kms:Decrypt", "kms:GenerateDataKey"], Arn(stack.Topics.Key)),
            .. DistributedMap("Ingestion-NightlySync"),
            .. ServiceWildcards(),
        ]);
    }

    [Fact]
    public void DistributedMapSelfArn_names_the_state_machine_it_belongs_to()
    {
        // Built from the name to avoid a dependency cycle: it must match the name the state machine really gets.
        foreach (var machine in new[] { synthesized.Stack.Workflows.IngestFile, synthesized.Stack.Workflows.NightlySync })
        {
            var name = synthesized.Properties(machine)["StateMachineName"]!.GetValue<string>();
            Assert.Contains(_grants, g => g.Role == Role(machine.Role)
                && g.Actions.SequenceEqual(["states:StartExecution"])
                && g.Resources.SequenceEqual([States($"stateMachine:{name}")]));
        }
    }

    [Fact]
    public void EventRules_may_only_start_their_own_state_machine()
    {
        var workflows = synthesized.Stack.Workflows;
        var eventRoles = synthesized.OfType("AWS::IAM::Role")
            .Where(r => r.Resource["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]!.GetValue<string>() == "events.amazonaws.com")
            .Select(r => r.Id)
            .ToList();

        Assert.Equal(2, eventRoles.Count);
        var starts = _grants.Where(g => eventRoles.Contains(g.Role)).ToList();
        Assert.All(starts, g => Assert.Equal(["states:StartExecution"], g.Actions));
        Assert.Equal(
            new[] { Ref(workflows.IngestFile), Ref(workflows.NightlySync) }.Order(),
            starts.SelectMany(g => g.Resources).Order());
    }

    [Fact]
    public void EveryRole_is_assumed_by_exactly_one_service()
    {
        foreach (var (id, role) in synthesized.OfType("AWS::IAM::Role"))
        {
            var statement = Assert.Single(role["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]!.AsArray())!;
            Assert.Equal("sts:AssumeRole", statement["Action"]!.GetValue<string>());
            Assert.Contains(statement["Principal"]!["Service"]!.GetValue<string>(),
                new[] { "lambda.amazonaws.com", "states.amazonaws.com", "events.amazonaws.com" });
            Assert.True(id.Length > 0);
        }
    }

    private static Expected Allow(string[] actions, params string[] resources) => new(actions, resources, null);

    private static Expected Allow(string[] actions, string[] resources, string condition) => new(actions, resources, condition);

    private static string States(string resource) => $"arn:${{AWS::Partition}}:states:${{AWS::Region}}:${{AWS::AccountId}}:{resource}";

    private static IEnumerable<Expected> DistributedMap(string name) =>
    [
        Allow(["states:StartExecution"], States($"stateMachine:{name}")),
        Allow(["states:DescribeExecution", "states:StopExecution"], States($"execution:{name}:*"), States($"execution:{name}/*")),
        Allow(["states:RedriveExecution"], States($"execution:{name}/*:*")),
    ];

    private static IEnumerable<Expected> ServiceWildcards() => WildcardResourceExceptions.Take(2).Select(actions => Allow(actions, "*"));

    private Expected LogsOf(string function)
    {
        var properties = synthesized.Properties(synthesized.Stack.Functions.All.Single(f => f.Node.Id == function));
        var group = Render.Value(properties["LoggingConfig"]!["LogGroup"]).Trim('$', '{', '}');
        return Allow(["logs:CreateLogStream", "logs:PutLogEvents"], $"${{{group}.Arn}}");
    }

    private string Arn(Constructs.IConstruct construct) => $"${{{synthesized.Id(construct)}.Arn}}";

    private string Ref(Constructs.IConstruct construct) => $"${{{synthesized.Id(construct)}}}";

    private string Role(Amazon.CDK.AWS.IAM.IRole role) => synthesized.Id(role);

    private void AssertGrants(Amazon.CDK.AWS.IAM.IRole role, params IEnumerable<Expected> expected)
    {
        var id = Role(role);
        var actual = _grants.Where(g => g.Role == id)
            .Select(g => new Expected(g.Actions.ToArray(), g.Resources.ToArray(), g.Condition).ToString())
            .Order(StringComparer.Ordinal)
            .ToList();
        var wanted = expected
            .Select(e => (e with { Actions = e.Actions.Order(StringComparer.Ordinal).ToArray(), Resources = e.Resources.Order(StringComparer.Ordinal).ToArray() }).ToString())
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(wanted, actual);
    }

    private sealed record Expected(string[] Actions, string[] Resources, string? Condition)
    {
        public override string ToString() =>
            $"[{string.Join(", ", Actions)}] on [{string.Join(", ", Resources)}]{(Condition is null ? "" : " if " + Condition)}";
    }
}
