using Ingestion.Cdk.Tests.Support;

namespace Ingestion.Cdk.Tests;

[Collection(SharedTemplate.Name)]
public sealed class FunctionsTests(StackFixture synthesized)
{
    public static TheoryData<string, int, int> Sizing => new()
    {
        { "RegisterFile", 256, 30 },
        { "ValidateStudents", 512, 20 },
        { "StoreStudents", 1024, 50 },
        { "SummarizeRun", 1024, 900 },
    };

    [Theory]
    [MemberData(nameof(Sizing))]
    public void Function_runs_the_custom_runtime_on_arm64_with_its_name_as_handler(string name, int memory, int timeout)
    {
        var properties = synthesized.Properties(FunctionNamed(name));

        Assert.Equal("provided.al2023", properties["Runtime"]!.GetValue<string>());
        Assert.Equal(["arm64"], Render.List(properties["Architectures"]));
        Assert.Equal(name, properties["Handler"]!.GetValue<string>());
        Assert.Equal(memory, properties["MemorySize"]!.GetValue<int>());
        Assert.Equal(timeout, properties["Timeout"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("RegisterFile", null)]
    [InlineData("ValidateStudents", null)]
    [InlineData("StoreStudents", null)]
    [InlineData("SummarizeRun", 10240)]
    public void Only_SummarizeRun_has_more_than_the_default_512_MB_of_tmp_for_the_records_it_spools(string name, int? ephemeralMb)
    {
        var properties = synthesized.Properties(FunctionNamed(name));

        Assert.Equal(ephemeralMb, properties["EphemeralStorage"]?["Size"]?.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Sizing))]
    public void Function_is_configured_for_dynamodb_and_s3_from_the_stacks_resources(string name, int memory, int timeout)
    {
        _ = (memory, timeout);
        var storage = synthesized.Stack.Storage;
        var variables = synthesized.Properties(FunctionNamed(name))["Environment"]!["Variables"]!.AsObject()
            .ToDictionary(v => v.Key, v => Render.Value(v.Value));

        Assert.Equal(new Dictionary<string, string>
        {
            ["INGEST_STORE"] = "dynamodb",
            ["INGEST_OBJECTS"] = "s3",
            ["STUDENTS_TABLE"] = $"${{{synthesized.Id(storage.Students)}}}",
            ["FILES_TABLE"] = $"${{{synthesized.Id(storage.Files)}}}",
            ["POWERTOOLS_SERVICE_NAME"] = "ingestion",
            ["POWERTOOLS_METRICS_NAMESPACE"] = "StudentIngestion",
            ["POWERTOOLS_LOG_LEVEL"] = "INFO",
        }, variables);
    }

    [Theory]
    [MemberData(nameof(Sizing))]
    public void Function_logs_to_its_own_group_with_retention(string name, int memory, int timeout)
    {
        _ = (memory, timeout);
        var properties = synthesized.Properties(FunctionNamed(name));
        var groupId = Render.Value(properties["LoggingConfig"]!["LogGroup"]).Trim('$', '{', '}');

        var group = synthesized.AllResources[groupId]!;
        Assert.Equal("AWS::Logs::LogGroup", group["Type"]!.GetValue<string>());
        Assert.Equal(30, group["Properties"]!["RetentionInDays"]!.GetValue<int>());
    }

    [Fact]
    public void Functions_are_exactly_the_four_handlers()
    {
        Assert.Equal(4, synthesized.OfType("AWS::Lambda::Function").Count());
    }

    [Theory]
    [MemberData(nameof(Sizing))]
    public void Function_times_out_no_later_than_every_task_that_invokes_it(string name, int memory, int timeout)
    {
        _ = (memory, timeout);
        var seconds = synthesized.Properties(FunctionNamed(name))["Timeout"]!.GetValue<int>();

        // A task's TimeoutSeconds shorter than its function's would leave the function running after the state gave up.
        var placeholder = "${" + name + "FunctionArn}";
        var tasks = new[] { Workflows.IngestFileFile, Workflows.NightlySyncFile, Workflows.ProcessBatchFile }
            .Select(file => System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(synthesized.Layout.DefinitionsDirectory, file)))!)
            .SelectMany(Tasks)
            .Where(t => t["Parameters"]?["FunctionName"]?.GetValue<string>() == placeholder)
            .ToList();
        Assert.NotEmpty(tasks);
        Assert.All(tasks, t => Assert.True((t["TimeoutSeconds"]?.GetValue<int>() ?? int.MaxValue) >= seconds, $"{name}: Lambda timeout {seconds} s over a task's TimeoutSeconds {t["TimeoutSeconds"]}"));
    }

    private static IEnumerable<System.Text.Json.Nodes.JsonNode> Tasks(System.Text.Json.Nodes.JsonNode block) =>
        block["States"]!.AsObject().SelectMany(s => s.Value!["Type"]!.GetValue<string>() switch
        {
            "Task" => [s.Value!],
            "Map" => Tasks(s.Value!["ItemProcessor"]!),
            "Parallel" => s.Value!["Branches"]!.AsArray().SelectMany(b => Tasks(b!)),
            _ => [],
        });

    private Amazon.CDK.AWS.Lambda.Function FunctionNamed(string name) =>
        synthesized.Stack.Functions.All.Single(f => f.Node.Id == name);
}
