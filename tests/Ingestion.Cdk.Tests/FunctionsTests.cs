using Ingestion.Cdk.Tests.Support;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;

namespace Ingestion.Cdk.Tests;

[Collection(SharedTemplate.Name)]
public sealed class FunctionsTests(StackFixture synthesized)
{
    public static TheoryData<string, int, int> Sizing => new()
    {
        { "RegisterFile", 256, 30 },
        { "ValidateStudents", 512, 30 },
        { "StoreStudents", 1024, 120 },
        { "SummarizeRun", 1024, 900 },
    };

    [Theory]
    [MemberData(nameof(Sizing))]
    public void Function_RunsTheCustomRuntimeOnArm64WithItsNameAsHandler(string name, int memory, int timeout)
    {
        var properties = synthesized.Properties(FunctionNamed(name));

        Assert.Equal("provided.al2023", properties["Runtime"]!.GetValue<string>());
        Assert.Equal(["arm64"], Render.List(properties["Architectures"]));
        Assert.Equal(name, properties["Handler"]!.GetValue<string>());
        Assert.Equal(memory, properties["MemorySize"]!.GetValue<int>());
        Assert.Equal(timeout, properties["Timeout"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Sizing))]
    public void Function_IsConfiguredForDynamoDbAndS3FromTheStacksResources(string name, int memory, int timeout)
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
    public void Function_LogsToItsOwnGroupWithRetention(string name, int memory, int timeout)
    {
        _ = (memory, timeout);
        var properties = synthesized.Properties(FunctionNamed(name));
        var groupId = Render.Value(properties["LoggingConfig"]!["LogGroup"]).Trim('$', '{', '}');

        var group = synthesized.AllResources[groupId]!;
        Assert.Equal("AWS::Logs::LogGroup", group["Type"]!.GetValue<string>());
        Assert.Equal(30, group["Properties"]!["RetentionInDays"]!.GetValue<int>());
    }

    [Fact]
    public void Functions_AreExactlyTheFourHandlers()
    {
        Assert.Equal(4, synthesized.OfType("AWS::Lambda::Function").Count());
    }

    private Amazon.CDK.AWS.Lambda.Function FunctionNamed(string name) =>
        synthesized.Stack.Functions.All.Single(f => f.Node.Id == name);
}
