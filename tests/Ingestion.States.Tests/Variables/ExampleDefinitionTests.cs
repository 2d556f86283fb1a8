using Ingestion.States.Json;

namespace Ingestion.States.Tests.Variables;

/// <summary>The JSONata sample the README runs with <c>ingest states execute</c> does what it says.</summary>
public sealed class ExampleDefinitionTests
{
    private static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "examples", name);

    private static StateMachine Load() =>
        StateMachine.Load("department-summary", File.ReadAllText(Example("department-summary.asl.json")));

    [Fact]
    public async Task Department_summary_counts_students_per_department()
    {
        var input = JValue.Parse(File.ReadAllText(Example("department-summary.input.json")));
        var result = await new StatesEngine().RunAsync(Load(), input);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var output = (JObject)result.Output!;
        Assert.Equal(JValue.Parse("""
            {"batch":"2024-09-registrar","total":3,
             "departments":[{"department":"Mathematics","students":2},{"department":"Computer Science","students":1}]}
            """), new JObject([.. output.Where(p => p.Key != "checksum")]));
        Assert.Equal(64, ((JString)output.Get("checksum")!).Value.Length);
    }

    [Fact]
    public async Task Department_summary_fails_an_empty_batch_with_a_cause_naming_it()
    {
        var result = await new StatesEngine().RunAsync(Load(), JValue.Parse("""{"batch":"b1","students":[]}"""));

        Assert.Equal(("EmptyBatch", "The batch b1 holds no student."), (result.Error, result.Cause));
    }
}
