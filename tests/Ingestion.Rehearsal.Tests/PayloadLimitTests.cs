using Ingestion.Rehearsal.Lambda;
using Ingestion.Rehearsal.Template;
using Ingestion.Rehearsal.Tests.Support;
using Ingestion.States.Errors;

namespace Ingestion.Rehearsal.Tests;

[Collection(SynthesizedAppTests.Name)]
public sealed class PayloadLimitTests(SynthesizedApp app)
{
    [Fact]
    public async Task Invocation_over_step_functions_payload_limit_fails_with_data_limit_exceeded()
    {
        var spec = CloudAssembly.Load(app.Directory).Functions().Single(f => f.Handler == "ValidateStudents");
        await using var function = await FunctionProcess.StartAsync(spec, new Dictionary<string, string>(), CancellationToken.None);
        var payload = new MemoryStream(System.Text.Encoding.UTF8.GetBytes($$"""{"Items":["{{new string('x', 300 * 1024)}}"]}"""));

        var error = await Assert.ThrowsAsync<StatesException>(() => function.InvokeAsync(payload, CancellationToken.None));

        Assert.Equal("States.DataLimitExceeded", error.Error);
    }
}
