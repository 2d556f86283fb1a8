using System.Text.Json.Nodes;
using Ingestion.Cdk.Tests.Support;

namespace Ingestion.Cdk.Tests;

[Collection(SharedTemplate.Name)]
public sealed class MonitoringTests(StackFixture synthesized)
{
    private readonly Monitoring _monitoring = synthesized.Stack.Monitoring;

    public static TheoryData<string> HandlerMetrics =>
    [
        "FilesProcessed", "FilesQuarantined",
        "StudentsReceived", "StudentsCreated", "StudentsUpdated", "StudentsUnchanged", "StudentsReplayed", "StudentsStale",
        "StudentsRejected", "StudentsFailed",
        "NotificationsPublished", "BatchDuration",
    ];

    [Theory]
    [MemberData(nameof(HandlerMetrics))]
    public void Dashboard_graphs_the_handler_metric_with_the_service_dimension(string metric)
    {
        Assert.Contains(DashboardMetrics(), m => m.StartsWith($"[\"StudentIngestion\",\"{metric}\",\"Service\",\"ingestion\",", StringComparison.Ordinal));
    }

    [Fact]
    public void Dashboard_graphs_batch_duration_at_p50_and_p99()
    {
        var batch = DashboardMetrics().Where(m => m.Contains("\"BatchDuration\"", StringComparison.Ordinal)).ToList();
        Assert.Contains(batch, m => m.Contains("\"stat\":\"p50\"", StringComparison.Ordinal));
        Assert.Contains(batch, m => m.Contains("\"stat\":\"p99\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("AWS/States", "ExecutionsFailed")]
    [InlineData("AWS/Lambda", "Errors")]
    [InlineData("AWS/Lambda", "Throttles")]
    [InlineData("AWS/Lambda", "Duration")]
    [InlineData("AWS/DynamoDB", "ReadThrottleEvents")]
    [InlineData("AWS/DynamoDB", "WriteThrottleEvents")]
    [InlineData("AWS/DynamoDB", "ConsumedReadCapacityUnits")]
    [InlineData("AWS/DynamoDB", "ConsumedWriteCapacityUnits")]
    [InlineData("AWS/SNS", "NumberOfNotificationsFailed")]
    [InlineData("AWS/SQS", "ApproximateNumberOfMessagesVisible")]
    [InlineData("StudentIngestion", "StaleFiles")]
    public void Dashboard_graphs_the_service_metric(string metricNamespace, string metric)
    {
        Assert.Contains(DashboardMetrics(), m => m.StartsWith($"[\"{metricNamespace}\",\"{metric}\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Ingestion-IngestFile/StudentsJson")]
    [InlineData("Ingestion-IngestFile/StudentsJsonl")]
    [InlineData("Ingestion-IngestFile/StudentsCsv")]
    [InlineData("Ingestion-IngestFile/StudentsCsvSemicolon")]
    [InlineData("Ingestion-IngestFile/FailedBatches")]
    [InlineData("Ingestion-NightlySync/LeftoverFiles")]
    public void Dashboard_graphs_failed_child_executions_of_each_map_run(string labelledStateMachine)
    {
        // Map Run children report under the state machine ARN qualified by the map's Label.
        Assert.Contains(DashboardMetrics(), m =>
            m.StartsWith("[\"AWS/States\",\"ExecutionsFailed\",\"StateMachineArn\"", StringComparison.Ordinal)
            && m.Contains($":stateMachine:{labelledStateMachine}\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Alarms_are_the_issues_list_and_all_notify_ops_alerts()
    {
        var opsAlerts = $"${{{synthesized.Id(synthesized.Stack.Topics.OpsAlerts)}}}";
        var alarms = synthesized.OfType("AWS::CloudWatch::Alarm").ToDictionary(
            a => a.Resource["Properties"]!["AlarmName"]!.GetValue<string>(),
            a => a.Resource["Properties"]!.AsObject());

        Assert.Equal(
            new[]
            {
                "IngestFileFailed", "NightlySyncFailed", "RejectedRatio",
                "RegisterFileErrors", "ValidateStudentsErrors", "StoreStudentsErrors", "SummarizeRunErrors",
                "StudentRecordsThrottled", "IngestionFilesThrottled", "EventsDeadLettered", "StaleFilesFound",
            }.Select(n => "Ingestion-" + n).Order(),
            alarms.Keys.Order());
        Assert.All(alarms.Values, a => Assert.Equal([opsAlerts], Render.List(a["AlarmActions"])));
    }

    [Fact]
    public void IngestFileFailed_fires_on_the_first_failed_execution()
    {
        var alarm = Alarm("IngestFileFailed");

        Assert.Equal("ExecutionsFailed", alarm["MetricName"]!.GetValue<string>());
        Assert.Equal($"${{{synthesized.Id(synthesized.Stack.Workflows.IngestFile)}}}", Render.Value(alarm["Dimensions"]![0]!["Value"]));
        Assert.Equal(1, alarm["Threshold"]!.GetValue<double>());
        Assert.Equal("GreaterThanOrEqualToThreshold", alarm["ComparisonOperator"]!.GetValue<string>());
    }

    [Fact]
    public void RejectedRatio_fires_above_five_percent_of_an_hours_students()
    {
        var alarm = Alarm("RejectedRatio");
        var metrics = alarm["Metrics"]!.AsArray();

        var expression = Assert.Single(metrics, m => m!["Expression"] is not null)!;
        Assert.Equal("IF(received > 0, 100 * rejected / received, 0)", expression["Expression"]!.GetValue<string>());
        Assert.All(metrics.Where(m => m!["MetricStat"] is not null), m =>
        {
            Assert.Equal(3600, m!["MetricStat"]!["Period"]!.GetValue<int>());
            Assert.Equal("StudentIngestion", m["MetricStat"]!["Metric"]!["Namespace"]!.GetValue<string>());
        });
        Assert.Equal(5, alarm["Threshold"]!.GetValue<double>());
        Assert.Equal("GreaterThanThreshold", alarm["ComparisonOperator"]!.GetValue<string>());
    }

    [Fact]
    public void StaleFilesFound_watches_nightly_syncs_metric()
    {
        var alarm = Alarm("StaleFilesFound");

        Assert.Equal("StudentIngestion", alarm["Namespace"]!.GetValue<string>());
        Assert.Equal("StaleFiles", alarm["MetricName"]!.GetValue<string>());
        Assert.Null(alarm["Dimensions"]);
        Assert.Equal(1, alarm["Threshold"]!.GetValue<double>());
    }

    [Fact]
    public void EventsDeadLettered_watches_the_queue()
    {
        var alarm = Alarm("EventsDeadLettered");

        Assert.Equal("ApproximateNumberOfMessagesVisible", alarm["MetricName"]!.GetValue<string>());
        Assert.Equal($"${{{synthesized.Id(synthesized.Stack.Scheduling.DeadLetters)}.QueueName}}", Render.Value(alarm["Dimensions"]![0]!["Value"]));
    }

    private JsonObject Alarm(string name) => synthesized.OfType("AWS::CloudWatch::Alarm")
        .Single(a => a.Resource["Properties"]!["AlarmName"]!.GetValue<string>() == $"Ingestion-{name}").Resource["Properties"]!.AsObject();

    /// <summary>Every metric array of the dashboard body, as compact JSON with intrinsics rendered.</summary>
    private List<string> DashboardMetrics()
    {
        var body = JsonNode.Parse(Render.Value(synthesized.Properties(_monitoring.Dashboard)["DashboardBody"]))!;
        return body["widgets"]!.AsArray()
            .SelectMany(w => w!["properties"]!["metrics"]?.AsArray() ?? [])
            .Select(m => m!.ToJsonString())
            .ToList();
    }
}
