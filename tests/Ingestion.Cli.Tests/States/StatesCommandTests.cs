using System.CommandLine;
using Ingestion.Cli.States;
using Ingestion.States.Json;

namespace Ingestion.Cli.Tests.States;

public sealed class StatesCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("states-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var root = new RootCommand { StatesCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null }).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private const string Greeting = """{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"msg.$":"States.Format('hi {}', $.who)"},"End":true}}}""";

    [Fact]
    public async Task Execute_succeeded_prints_result_and_exits_0()
    {
        var definition = Write("greet.asl.json", Greeting);
        var (exit, output, _) = await Run("states", "execute", definition, "--input", """{"who":"Ada"}""");
        Assert.Equal(0, exit);
        var json = (JObject)JValue.Parse(output);
        Assert.Equal("SUCCEEDED", ((JString)json.Get("status")!).Value);
        Assert.Equal(JValue.Parse("""{"msg":"hi Ada"}"""), json.Get("output"));
        Assert.Equal(JValue.Null, json.Get("error"));
        Assert.Null(json.Get("history"));
    }

    [Fact]
    public async Task Execute_runs_the_JSONata_example_as_the_documentation_shows()
    {
        var example = Path.Combine(AppContext.BaseDirectory, "examples", "department-summary");
        var (exit, output, _) = await Run("states", "execute", example + ".asl.json", "--input", "@" + example + ".input.json");
        Assert.Equal(0, exit);
        var json = (JObject)JValue.Parse(output);
        Assert.Equal("SUCCEEDED", ((JString)json.Get("status")!).Value);
        var result = (JObject)json.Get("output")!;
        Assert.Equal(JValue.Parse("""[{"department":"Mathematics","students":2},{"department":"Computer Science","students":1}]"""), result.Get("departments"));
        Assert.Equal("758c51e98930851289726c5444f8875758cd1538cbfd388cf929d475e6bead14", ((JString)result.Get("checksum")!).Value);
    }

    [Fact]
    public async Task Execute_failed_exits_1_with_error_and_cause()
    {
        var definition = Write("fail.asl.json", """{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Nope","Cause":"because"}}}""");
        var (exit, output, _) = await Run("states", "execute", definition);
        Assert.Equal(1, exit);
        var json = (JObject)JValue.Parse(output);
        Assert.Equal("FAILED", ((JString)json.Get("status")!).Value);
        Assert.Equal("Nope", ((JString)json.Get("error")!).Value);
        Assert.Equal("because", ((JString)json.Get("cause")!).Value);
    }

    [Fact]
    public async Task Execute_reads_input_from_file_and_prints_history()
    {
        var definition = Write("greet.asl.json", Greeting);
        var input = Write("input.json", """{"who":"file"}""");
        var (exit, output, _) = await Run("states", "execute", definition, "--input", "@" + input, "--history", "--name", "run-1");
        Assert.Equal(0, exit);
        var json = (JObject)JValue.Parse(output);
        var history = (JArray)json.Get("history")!;
        Assert.Equal(["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"],
            history.Select(e => ((JString)((JObject)e).Get("type")!).Value));
        var started = (JObject)((JObject)history[0]).Get("executionStartedEventDetails")!;
        Assert.Equal("""{"who":"file"}""", ((JString)started.Get("input")!).Value);
    }

    [Fact]
    public async Task Execute_applies_mock_config_test_case()
    {
        var definition = Write("Flow.asl.json", """{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"X"},"OutputPath":"$.Payload","End":true}}}""");
        var mocks = Write("mocks.json", """{"StateMachines":{"Flow":{"TestCases":{"Ok":{"Call":"R"}}}},"MockedResponses":{"R":{"0":{"Return":{"Payload":{"n":1}}}}}}""");
        var (exit, output, _) = await Run("states", "execute", definition, "--mock-config", mocks, "--test-case", "Ok");
        Assert.Equal(0, exit);
        Assert.Equal(JValue.Parse("""{"n":1}"""), ((JObject)JValue.Parse(output)).Get("output"));
    }

    [Fact]
    public async Task Execute_substitutes_placeholders()
    {
        var definition = Write("sub.asl.json", """{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"${Topic}","End":true}}}""");
        var (exit, output, _) = await Run("states", "execute", definition, "--substitute", "Topic=arn:aws:sns:us-east-1:1:t", "--substitute", "Other=x");
        Assert.Equal(0, exit);
        Assert.Equal(new JString("arn:aws:sns:us-east-1:1:t"), ((JObject)JValue.Parse(output)).Get("output"));
    }

    [Fact]
    public async Task Execute_invalid_definition_exits_2_with_problems()
    {
        var definition = Write("bad.asl.json", """{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Missing"}}}""");
        var (exit, output, _) = await Run("states", "execute", definition);
        Assert.Equal(2, exit);
        var problems = (JArray)((JObject)JValue.Parse(output)).Get("problems")!;
        var problem = (JObject)problems[0];
        Assert.Equal("A", ((JString)problem.Get("state")!).Value);
        Assert.Equal("Next", ((JString)problem.Get("field")!).Value);
    }

    [Theory]
    [InlineData("states", "execute")]
    [InlineData("states", "execute", "missing-file.asl.json")]
    [InlineData("states", "execute", "{def}", "--unknown")]
    [InlineData("states", "execute", "{def}", "--input", "{not json")]
    [InlineData("states", "execute", "{def}", "--mock-config", "{def}")]
    [InlineData("states", "validate")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var definition = Write("ok.asl.json", Greeting);
        var (exit, _, error) = await Run([.. args.Select(a => a == "{def}" ? definition : a)]);
        Assert.Equal(2, exit);
        Assert.NotEmpty(error);
    }

    [Fact]
    public async Task Validate_valid_definition_exits_0()
    {
        var definition = Write("ok.asl.json", """{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${FunctionArn}","End":true}}}""");
        var (exit, output, _) = await Run("states", "validate", definition);
        Assert.Equal(0, exit);
        Assert.Contains("valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_prints_every_problem_and_exits_2()
    {
        var definition = Write("bad.asl.json", """{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$..x","Next":"Gone"},"B":{"Type":"Wait","End":true}}}""");
        var (exit, output, _) = await Run("states", "validate", definition);
        Assert.Equal(2, exit);
        Assert.Contains("A: InputPath:", output, StringComparison.Ordinal);
        Assert.Contains("A: Next:", output, StringComparison.Ordinal);
        Assert.Contains("B: Seconds:", output, StringComparison.Ordinal);
        Assert.Contains("B: (state): is unreachable", output, StringComparison.Ordinal);
    }
}
