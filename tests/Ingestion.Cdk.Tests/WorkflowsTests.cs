using System.Text.Json.Nodes;
using Amazon.CDK.AWS.StepFunctions;
using Ingestion.Cdk.Tests.Support;

namespace Ingestion.Cdk.Tests;

/// <summary>The deployed definitions are the files in pipeline/definitions, with the stack's ARNs filled in.</summary>
[Collection(SharedTemplate.Name)]
public sealed class WorkflowsTests(StackFixture synthesized)
{
    public static TheoryData<string> StateMachines => ["IngestFile", "NightlySync", "ProcessBatch"];

    public static TheoryData<string, string> Types => new() { { "IngestFile", "STANDARD" }, { "NightlySync", "STANDARD" }, { "ProcessBatch", "EXPRESS" } };

    [Theory]
    [MemberData(nameof(StateMachines))]
    public void DefinitionString_is_the_definition_file_verbatim(string name)
    {
        var (machine, file) = Workflow(name);
        var deployed = synthesized.Properties(machine)["DefinitionString"]!;

        // A plain string: the file's content, not a JSON object re-rendered by the CDK.
        Assert.Equal(File.ReadAllText(file), deployed.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(StateMachines))]
    public void DefinitionString_with_substitutions_applied_is_the_file_with_the_stacks_resources(string name)
    {
        var (machine, file) = Workflow(name);
        var properties = synthesized.Properties(machine);
        var substitutions = properties["DefinitionSubstitutions"]!.AsObject()
            .ToDictionary(s => s.Key, s => Render.Value(s.Value));

        var deployed = JsonNode.Parse(Substitute(properties["DefinitionString"]!.GetValue<string>(), substitutions));
        var expected = JsonNode.Parse(Substitute(File.ReadAllText(file), ExpectedResources(name)));

        Assert.True(JsonNode.DeepEquals(expected, deployed), $"{name}: the deployed definition differs from {file}.");
    }

    [Theory]
    [MemberData(nameof(StateMachines))]
    public void Definition_every_placeholder_has_a_substitution_and_none_is_spare(string name)
    {
        var (machine, file) = Workflow(name);
        var placeholders = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), @"\$\{([A-Za-z0-9]+)\}")
            .Select(m => m.Groups[1].Value).ToHashSet();
        var substitutions = synthesized.Properties(machine)["DefinitionSubstitutions"]!.AsObject().Select(s => s.Key).ToHashSet();

        Assert.Equal(placeholders.Order(), substitutions.Order());
        Assert.Equal(ExpectedResources(name).Keys.Order(), substitutions.Order());
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void StateMachine_is_of_its_type_named_logged_at_error_without_data_and_traced(string name, string type)
    {
        var (machine, _) = Workflow(name);
        var properties = synthesized.Properties(machine);

        Assert.Equal(type, properties["StateMachineType"]!.GetValue<string>());
        Assert.Equal($"Ingestion-{name}", properties["StateMachineName"]!.GetValue<string>());
        Assert.Equal("ERROR", properties["LoggingConfiguration"]!["Level"]!.GetValue<string>());
        Assert.False(properties["LoggingConfiguration"]!["IncludeExecutionData"]!.GetValue<bool>());
        Assert.True(properties["TracingConfiguration"]!["Enabled"]!.GetValue<bool>());

        var groupId = Render.Value(properties["LoggingConfiguration"]!["Destinations"]![0]!["CloudWatchLogsLogGroup"]!["LogGroupArn"])
            .Trim('$', '{', '}').Replace(".Arn", "", StringComparison.Ordinal);
        var group = synthesized.AllResources[groupId]!["Properties"]!;
        Assert.Equal($"/aws/vendedlogs/states/Ingestion-{name}", group["LogGroupName"]!.GetValue<string>());
        Assert.Equal(90, group["RetentionInDays"]!.GetValue<int>());
    }

    [Fact]
    public void NightlySync_puts_stale_files_in_the_namespace_the_dashboard_reads()
    {
        var definition = JsonNode.Parse(File.ReadAllText(Path.Combine(synthesized.Layout.DefinitionsDirectory, Workflows.NightlySyncFile)))!;

        Assert.Equal(Telemetry.Namespace, definition["States"]!["RecordStaleFiles"]!["Parameters"]!["Namespace"]!.GetValue<string>());
        Assert.Equal(Telemetry.StaleFiles, definition["States"]!["RecordStaleFiles"]!["Parameters"]!["MetricData"]![0]!["MetricName"]!.GetValue<string>());
    }

    [Fact]
    public void DistributedMapLabels_are_read_from_the_definitions()
    {
        Assert.Equal(
            ["StudentsJson", "StudentsJsonl", "StudentsCsv", "StudentsCsvSemicolon", "StudentsCsvTab", "StudentsCsvPipe", "FailedBatches"],
            synthesized.Stack.Workflows.IngestFileDefinition.DistributedMapLabels());
        Assert.Equal(["LeftoverFiles"], synthesized.Stack.Workflows.NightlySyncDefinition.DistributedMapLabels());
    }

    private (StateMachine Machine, string File) Workflow(string name)
    {
        var workflows = synthesized.Stack.Workflows;
        return name switch
        {
            "IngestFile" => (workflows.IngestFile, workflows.IngestFileDefinition.Path),
            "ProcessBatch" => (workflows.ProcessBatch, workflows.ProcessBatchDefinition.Path),
            _ => (workflows.NightlySync, workflows.NightlySyncDefinition.Path),
        };
    }

    /// <summary>What each placeholder must resolve to, worked out from the constructs rather than read from the template.</summary>
    private Dictionary<string, string> ExpectedResources(string name)
    {
        var stack = synthesized.Stack;
        string Arn(Constructs.IConstruct construct) => $"${{{synthesized.Id(construct)}.Arn}}";
        string Ref(Constructs.IConstruct construct) => $"${{{synthesized.Id(construct)}}}";
        return name switch
        {
            "IngestFile" => new Dictionary<string, string>
            {
                ["RegisterFileFunctionArn"] = Arn(stack.Functions.RegisterFile),
                ["SummarizeRunFunctionArn"] = Arn(stack.Functions.SummarizeRun),
                ["ProcessBatchStateMachineArn"] = Ref(stack.Workflows.ProcessBatch),
                ["AdminAlertsTopicArn"] = Ref(stack.Topics.AdminAlerts),
            },
            "ProcessBatch" => new Dictionary<string, string>
            {
                ["ValidateStudentsFunctionArn"] = Arn(stack.Functions.ValidateStudents),
                ["StoreStudentsFunctionArn"] = Arn(stack.Functions.StoreStudents),
                ["StudentEventsTopicArn"] = Ref(stack.Topics.StudentEvents),
            },
            _ => new Dictionary<string, string>
            {
                ["BucketName"] = Ref(stack.Storage.Bucket),
                ["IngestFileStateMachineArn"] = Ref(stack.Workflows.IngestFile),
                ["SummarizeRunFunctionArn"] = Arn(stack.Functions.SummarizeRun),
                ["AdminAlertsTopicArn"] = Ref(stack.Topics.AdminAlerts),
            },
        };
    }

    /// <summary>CloudFormation's substitution: every <c>${name}</c> replaced by its value.</summary>
    private static string Substitute(string text, IReadOnlyDictionary<string, string> values)
    {
        var placeholders = System.Text.RegularExpressions.Regex.Matches(text, @"\$\{([A-Za-z0-9]+)\}").Select(m => m.Groups[1].Value);
        Assert.All(placeholders, p => Assert.Contains(p, values.Keys));
        foreach (var (key, value) in values)
        {
            text = text.Replace("${" + key + "}", value, StringComparison.Ordinal);
        }

        return text;
    }
}
