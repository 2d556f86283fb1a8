using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.DynamoDB;
using Constructs;

namespace Ingestion.Cdk;

/// <summary>One dashboard of the handlers' metrics and the services' own, and the alarms that page OpsAlerts.</summary>
internal sealed class Monitoring : Construct
{
    private static readonly Duration FiveMinutes = Duration.Minutes(5);
    private static readonly Duration OneHour = Duration.Hours(1);

    private readonly string _prefix;
    private readonly SnsAction _notifyOps;
    private readonly List<Alarm> _alarms = [];

    public Monitoring(Construct scope, string id, Storage storage, Topics topics, Functions functions, Workflows workflows, Scheduling scheduling)
        : base(scope, id)
    {
        _prefix = Stack.Of(this).StackName;
        _notifyOps = new SnsAction(topics.OpsAlerts);

        Dashboard = new Dashboard(this, "Dashboard", new DashboardProps
        {
            DashboardName = _prefix,
            DefaultInterval = Duration.Days(1),
        });

        Dashboard.AddWidgets(
            Graph("Files", OneHour, Handler(Telemetry.FilesProcessed, OneHour), Handler(Telemetry.FilesQuarantined, OneHour)),
            Graph("Students", OneHour,
                Handler(Telemetry.StudentsReceived, OneHour),
                Handler(Telemetry.StudentsCreated, OneHour),
                Handler(Telemetry.StudentsUpdated, OneHour),
                Handler(Telemetry.StudentsUnchanged, OneHour),
                Handler(Telemetry.StudentsReplayed, OneHour),
                Handler(Telemetry.StudentsStale, OneHour),
                Handler(Telemetry.StudentsRejected, OneHour),
                Handler(Telemetry.StudentsFailed, OneHour)),
            Graph("Notifications published", OneHour, Handler(Telemetry.NotificationsPublished, OneHour)));

        Dashboard.AddWidgets(
            Graph("Batch duration (ms)", FiveMinutes,
                Handler(Telemetry.BatchDuration, FiveMinutes, "p50"),
                Handler(Telemetry.BatchDuration, FiveMinutes, "p99")),
            Graph("Executions", FiveMinutes,
                workflows.IngestFile.MetricSucceeded(Options("IngestFile succeeded")),
                workflows.IngestFile.MetricFailed(Options("IngestFile failed")),
                workflows.IngestFile.MetricTimedOut(Options("IngestFile timed out")),
                workflows.NightlySync.MetricFailed(Options("NightlySync failed"))),
            Graph("Map run child executions failed", FiveMinutes, MapRunFailures(workflows).ToArray()));

        Dashboard.AddWidgets(
            Graph("Lambda errors", FiveMinutes, functions.All.Select(f => f.MetricErrors(Options(f.Node.Id))).ToArray()),
            Graph("Lambda throttles", FiveMinutes, functions.All.Select(f => f.MetricThrottles(Options(f.Node.Id))).ToArray()),
            Graph("Lambda duration p99 (ms)", FiveMinutes,
                functions.All.Select(f => f.MetricDuration(Options(f.Node.Id, "p99"))).ToArray()));

        Dashboard.AddWidgets(
            Graph("DynamoDB throttle events", FiveMinutes, new[] { storage.Students, storage.Files }.SelectMany(ThrottleEvents).ToArray()),
            Graph("DynamoDB consumed capacity", FiveMinutes, new[] { storage.Students, storage.Files }.SelectMany(t => new IMetric[]
            {
                t.MetricConsumedReadCapacityUnits(Options($"{t.Node.Id} read")),
                t.MetricConsumedWriteCapacityUnits(Options($"{t.Node.Id} write")),
            }).ToArray()),
            Graph("SNS deliveries failed", FiveMinutes, new[] { topics.StudentEvents, topics.AdminAlerts, topics.OpsAlerts }
                .Select(t => (IMetric)t.MetricNumberOfNotificationsFailed(Options(t.Node.Id))).ToArray()),
            Graph("Left behind", OneHour,
                StaleFiles("Stale files found by the nightly sync"),
                scheduling.DeadLetters.MetricApproximateNumberOfMessagesVisible(Options("Events in the dead-letter queue", "Maximum"))));

        AlarmOn("IngestFileFailed", "An IngestFile execution failed: a file was quarantined or batches failed beyond the tolerated share.",
            workflows.IngestFile.MetricFailed(Stat("Sum")), threshold: 1);
        AlarmOn("NightlySyncFailed", "The nightly sync failed: leftover files may not have been ingested.",
            workflows.NightlySync.MetricFailed(Stat("Sum")), threshold: 1);
        AlarmOn("RejectedRatio", "More than 5% of the students received in the last hour were rejected.",
            new MathExpression(new MathExpressionProps
            {
                Expression = "IF(received > 0, 100 * rejected / received, 0)",
                UsingMetrics = new Dictionary<string, IMetric>
                {
                    ["received"] = Handler(Telemetry.StudentsReceived, OneHour),
                    ["rejected"] = Handler(Telemetry.StudentsRejected, OneHour),
                },
                Period = OneHour,
                Label = "Rejected %",
            }),
            threshold: 5,
            comparison: ComparisonOperator.GREATER_THAN_THRESHOLD);
        foreach (var function in functions.All)
        {
            AlarmOn($"{function.Node.Id}Errors", $"The {function.Node.Id} function reported errors.",
                function.MetricErrors(Stat("Sum")), threshold: 1);
        }

        foreach (var table in new[] { storage.Students, storage.Files })
        {
            AlarmOn($"{table.Node.Id}Throttled", $"DynamoDB throttled requests to {table.Node.Id}.",
                new MathExpression(new MathExpressionProps
                {
                    Expression = "reads + writes",
                    UsingMetrics = new Dictionary<string, IMetric>
                    {
                        ["reads"] = table.Metric("ReadThrottleEvents", Stat("Sum")),
                        ["writes"] = table.Metric("WriteThrottleEvents", Stat("Sum")),
                    },
                    Period = FiveMinutes,
                    Label = "Throttle events",
                }),
                threshold: 1);
        }

        AlarmOn("EventsDeadLettered", "Events that could not start a workflow are waiting in the dead-letter queue.",
            scheduling.DeadLetters.MetricApproximateNumberOfMessagesVisible(Stat("Maximum")), threshold: 1);
        AlarmOn("StaleFilesFound", "The nightly sync found files in incoming/ older than the grace period: Object Created events are being missed.",
            StaleFiles(label: null), threshold: 1);
    }

    public Dashboard Dashboard { get; }

    public IReadOnlyList<Alarm> Alarms => _alarms;

    private static GraphWidget Graph(string title, Duration period, params IMetric[] metrics) => new(new GraphWidgetProps
    {
        Title = title,
        Left = metrics,
        Period = period,
        Width = 6,
        Height = 6,
    });

    /// <summary>A handler metric: namespace StudentIngestion, dimension Service=ingestion (the EMF the handlers write).</summary>
    private static Metric Handler(string name, Duration period, string statistic = "Sum") => new(new MetricProps
    {
        Namespace = Telemetry.Namespace,
        MetricName = name,
        DimensionsMap = new Dictionary<string, string> { [Telemetry.ServiceDimension] = Telemetry.ServiceName },
        Statistic = statistic,
        Period = period,
        Label = statistic == "Sum" ? name : $"{name} {statistic}",
    });

    private static Metric StaleFiles(string? label) => new(new MetricProps
    {
        Namespace = Telemetry.Namespace,
        MetricName = Telemetry.StaleFiles,
        Statistic = "Maximum",
        Period = OneHour,
        Label = label,
    });

    /// <summary>For alarms: no label, so the alarm keeps CloudWatch's plain single-metric form.</summary>
    private static MetricOptions Stat(string statistic) => new() { Statistic = statistic, Period = FiveMinutes };

    private static MetricOptions Options(string label, string statistic = "Sum", Duration? period = null) => new()
    {
        Label = label,
        Statistic = statistic,
        Period = period ?? FiveMinutes,
    };

    private static IEnumerable<IMetric> ThrottleEvents(Table table) =>
    [
        table.Metric("ReadThrottleEvents", Options($"{table.Node.Id} reads")),
        table.Metric("WriteThrottleEvents", Options($"{table.Node.Id} writes")),
    ];

    /// <summary>Failed, timed-out and aborted child executions of every Distributed Map the definitions declare.</summary>
    private static IEnumerable<IMetric> MapRunFailures(Workflows workflows)
    {
        foreach (var (name, definition) in new[]
        {
            (workflows.IngestFileName, workflows.IngestFileDefinition),
            (workflows.NightlySyncName, workflows.NightlySyncDefinition),
        })
        {
            foreach (var label in definition.DistributedMapLabels())
            {
                // Ids are unique across the graph's expressions: CloudWatch requires it.
                var n = label.ToLowerInvariant();
                yield return new MathExpression(new MathExpressionProps
                {
                    Expression = $"failed_{n} + timedout_{n} + aborted_{n}",
                    UsingMetrics = new Dictionary<string, IMetric>
                    {
                        [$"failed_{n}"] = MapRunMetric(workflows, name, label, "ExecutionsFailed"),
                        [$"timedout_{n}"] = MapRunMetric(workflows, name, label, "ExecutionsTimedOut"),
                        [$"aborted_{n}"] = MapRunMetric(workflows, name, label, "ExecutionsAborted"),
                    },
                    Period = FiveMinutes,
                    Label = $"{label}",
                });
            }
        }
    }

    private static Metric MapRunMetric(Workflows workflows, string name, string label, string metricName) => new(new MetricProps
    {
        Namespace = "AWS/States",
        MetricName = metricName,
        DimensionsMap = new Dictionary<string, string> { ["StateMachineArn"] = workflows.MapRunArn(name, label) },
        Statistic = "Sum",
        Period = FiveMinutes,
    });

    private void AlarmOn(
        string id,
        string description,
        IMetric metric,
        double threshold,
        ComparisonOperator? comparison = null)
    {
        var alarm = new Alarm(this, id, new AlarmProps
        {
            AlarmName = $"{_prefix}-{id}",
            AlarmDescription = description,
            Metric = metric,
            Threshold = threshold,
            ComparisonOperator = comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            EvaluationPeriods = 1,
            // No data means nothing happened: no runs, no errors.
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
        alarm.AddAlarmAction(_notifyOps);
        _alarms.Add(alarm);
    }
}
