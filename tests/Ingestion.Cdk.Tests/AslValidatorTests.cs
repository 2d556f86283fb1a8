using System.Text.Json.Nodes;
using Ingestion.Cdk.Tests.Support;
using Ingestion.Testing;

namespace Ingestion.Cdk.Tests;

/// <summary>The definitions pass npm's asl-validator once their placeholders hold well-formed ARNs.</summary>
public sealed class AslValidatorTests : IDisposable
{
    private const string Account = "123456789012";
    private const string Region = "eu-west-1";

    private static readonly Dictionary<string, string> FakeValues = new()
    {
        ["RegisterFileFunctionArn"] = $"arn:aws:lambda:{Region}:{Account}:function:RegisterFile",
        ["ValidateStudentsFunctionArn"] = $"arn:aws:lambda:{Region}:{Account}:function:ValidateStudents",
        ["StoreStudentsFunctionArn"] = $"arn:aws:lambda:{Region}:{Account}:function:StoreStudents",
        ["SummarizeRunFunctionArn"] = $"arn:aws:lambda:{Region}:{Account}:function:SummarizeRun",
        ["StudentEventsTopicArn"] = $"arn:aws:sns:{Region}:{Account}:StudentEvents",
        ["AdminAlertsTopicArn"] = $"arn:aws:sns:{Region}:{Account}:AdminAlerts",
        ["BucketName"] = "ingestion-bucket-example",
        ["IngestFileStateMachineArn"] = $"arn:aws:states:{Region}:{Account}:stateMachine:Ingestion-IngestFile",
        ["ProcessBatchStateMachineArn"] = $"arn:aws:states:{Region}:{Account}:stateMachine:Ingestion-ProcessBatch",
    };

    private readonly RepositoryLayout _layout = RepositoryLayout.Locate();
    private readonly string _scratch;

    public AslValidatorTests()
    {
        _scratch = Scratch.Folder(_layout, nameof(AslValidatorTests) + Guid.NewGuid().ToString("N"));
    }

    public static TheoryData<string> Definitions => [Workflows.IngestFileFile, Workflows.NightlySyncFile, Workflows.ProcessBatchFile];

    [Theory]
    [MemberData(nameof(Definitions))]
    public void Definition_with_placeholders_substituted_passes_asl_validator(string fileName)
    {
        var text = File.ReadAllText(Path.Combine(_layout.DefinitionsDirectory, fileName));
        var substituted = Substitute(text);

        var (exitCode, output) = Validate(fileName, substituted);

        Assert.True(exitCode == 0, $"asl-validator rejected {fileName} (exit code {exitCode}):\n{output}");
    }

    [Fact]
    public void Validator_rejects_a_definition_with_a_dangling_transition()
    {
        // Proves the harness can fail: a Next that names no state.
        var definition = JsonNode.Parse(Substitute(File.ReadAllText(Path.Combine(_layout.DefinitionsDirectory, Workflows.IngestFileFile))))!;
        definition["States"]!["SummarizeRun"]!["Next"] = "NoSuchState";

        var (exitCode, _) = Validate("broken.asl.json", definition.ToJsonString());

        Assert.NotEqual(0, exitCode);
    }

    public void Dispose() => Scratch.Release(_scratch);

    private static string Substitute(string text)
    {
        foreach (var (name, value) in FakeValues)
        {
            text = text.Replace("${" + name + "}", value, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("${", text, StringComparison.Ordinal);
        return text;
    }

    private (int ExitCode, string Output) Validate(string fileName, string content)
    {
        var validator = Path.Combine(NodeTools.EnsurePackages(["asl-validator"], _layout.Root), "asl-validator", "dist", "bin", "asl-validator.js");
        var path = Path.Combine(_scratch, fileName);
        File.WriteAllText(path, content);
        return NodeTools.Run("node", [validator, "--json-path", path], _layout.Root, TimeSpan.FromMinutes(1));
    }
}
