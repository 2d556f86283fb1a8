using System.Text.Json;
using Ingestion.Functions.Telemetry;
using Ingestion.Local.Integrations;
using Ingestion.States;
using Ingestion.States.Json;

namespace Ingestion.Local.Tests.Integrations;

public sealed class CloudWatchIntegrationTests
{
    private readonly MemoryLineSink _metrics = new();
    private readonly StatesEngine _engine = new();

    public CloudWatchIntegrationTests() => CloudWatchIntegration.Register(_engine.Tasks, _metrics, TimeProvider.System);

    private Task<ExecutionResult> RunAsync(string parameters) => _engine.RunAsync(
        StateMachine.Load("Cw", $$$$"""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:cloudwatch:putMetricData","Parameters":{{{{parameters}}}},"End":true}}}"""),
        new JObject([]));

    [Fact]
    public async Task PutMetricData_writes_one_EMF_document_per_datum()
    {
        var result = await RunAsync("""{"Namespace":"StudentIngestion","MetricData":[{"MetricName":"StaleFiles","Unit":"Count","Value":3,"Dimensions":[{"Name":"Service","Value":"ingestion"}]},{"MetricName":"Lag","Unit":"Seconds","Values":[1,2],"Counts":[1,2]}]}""");

        Assert.True(result.Succeeded, result.Cause);
        Assert.Equal(new JObject([]), result.Output);
        Assert.Equal(2, _metrics.Lines.Count);
        using var first = JsonDocument.Parse(_metrics.Lines[0]);
        var directive = first.RootElement.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal("StudentIngestion", directive.GetProperty("Namespace").GetString());
        Assert.Equal("Service", directive.GetProperty("Dimensions")[0][0].GetString());
        Assert.Equal("Count", directive.GetProperty("Metrics")[0].GetProperty("Unit").GetString());
        Assert.Equal(3, first.RootElement.GetProperty("StaleFiles").GetDouble());
        using var second = JsonDocument.Parse(_metrics.Lines[1]);
        Assert.Equal([1.0, 2, 2], second.RootElement.GetProperty("Lag").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Theory]
    [InlineData("""{"MetricData":[{"MetricName":"X","Value":1}]}""")]
    [InlineData("""{"Namespace":"N","MetricData":[]}""")]
    [InlineData("""{"Namespace":"N","MetricData":[{"MetricName":"X","Value":1,"Dimensions":[{"Name":"StudentID","Value":"S-1"}]}]}""")]
    public async Task A_request_CloudWatch_refuses_fails_with_its_error_name(string parameters)
    {
        var result = await RunAsync(parameters);

        Assert.Equal("CloudWatch.InvalidParameterValueException", result.Error);
        Assert.Empty(_metrics.Lines);
    }
}
