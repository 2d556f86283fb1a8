using System.Reflection;
using System.Text.Json.Nodes;
using Ingestion.Cdk.Tests.Support;
using Ingestion.Functions;
using Ingestion.Functions.Telemetry;

namespace Ingestion.Cdk.Tests;

/// <summary>The dashboard and alarms read what the handlers write, configured by the environment the stack gives them.</summary>
[Collection(SharedTemplate.Name)]
public sealed class TelemetryConsistencyTests(StackFixture synthesized)
{
    public static TheoryData<string> DashboardMetricNames =>
    [
        .. typeof(Telemetry).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name is not (nameof(Telemetry.Namespace) or nameof(Telemetry.ServiceName)
                or nameof(Telemetry.ServiceDimension) or nameof(Telemetry.StaleFiles)))
            .Select(f => (string)f.GetRawConstantValue()!),
    ];

    [Theory]
    [MemberData(nameof(DashboardMetricNames))]
    public void DashboardMetric_is_one_the_handlers_define(string metric)
    {
        var handlerNames = typeof(MetricNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!);

        Assert.Contains(metric, handlerNames);
    }

    [Fact]
    public void HandlerMetrics_written_with_the_deployed_environment_carry_the_namespace_and_dimension_the_dashboard_uses()
    {
        var variables = synthesized.Properties(synthesized.Stack.Functions.StoreStudents)["Environment"]!["Variables"]!.AsObject()
            .ToDictionary(v => v.Key, v => Render.Value(v.Value));
        var settings = HandlerSettings.FromEnvironment(name => variables.GetValueOrDefault(name));
        var sink = new MemoryLineSink();

        var invocation = new FunctionTelemetry(settings.Telemetry(sink), "StoreStudents").Begin("request", "correlation");
        invocation.Metrics.AddMetric(MetricNames.StudentsCreated, MetricUnit.Count, 3);
        invocation.Metrics.Flush();

        var document = sink.Lines.Select(l => JsonNode.Parse(l)!)
            .Single(d => d["_aws"] is not null && d[MetricNames.StudentsCreated] is not null);
        var directive = document["_aws"]!["CloudWatchMetrics"]![0]!;
        Assert.Equal(Telemetry.Namespace, directive["Namespace"]!.GetValue<string>());
        Assert.Equal([Telemetry.ServiceDimension], directive["Dimensions"]![0]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(Telemetry.ServiceName, document[Telemetry.ServiceDimension]!.GetValue<string>());
    }
}
