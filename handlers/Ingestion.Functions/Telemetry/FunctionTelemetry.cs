namespace Ingestion.Functions.Telemetry;

/// <summary>Where a function's logs and metrics go, and how they are labelled.</summary>
/// <param name="Logs">The JSON log lines (stdout on Lambda; e.g. <c>&lt;data&gt;/logs/handlers.log</c> locally).</param>
/// <param name="Metrics">The EMF documents (stdout on Lambda, where CloudWatch extracts them; e.g. <c>&lt;data&gt;/logs/metrics.log</c> locally).</param>
public sealed record TelemetryOptions(ILineSink Logs, ILineSink Metrics)
{
    /// <summary><c>service</c> in logs and the <c>Service</c> metric dimension (<c>POWERTOOLS_SERVICE_NAME</c>).</summary>
    public string ServiceName { get; init; } = "ingestion";

    /// <summary><c>POWERTOOLS_METRICS_NAMESPACE</c>.</summary>
    public string MetricsNamespace { get; init; } = MetricNames.Namespace;

    /// <summary><c>POWERTOOLS_LOG_LEVEL</c>.</summary>
    public LogLevel MinimumLevel { get; init; } = LogLevel.Info;

    /// <summary>Both to one sink (as on Lambda, where both go to stdout).</summary>
    public static TelemetryOptions To(ILineSink sink) => new(sink, sink);
}

/// <summary>One function's telemetry: a logger and a metrics writer per invocation, and the cold start.</summary>
public sealed class FunctionTelemetry
{
    private readonly TelemetryOptions _options;
    private readonly TimeProvider _clock;
    private int _invocations;

    public FunctionTelemetry(TelemetryOptions options, string functionName, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        _options = options;
        _clock = clock ?? TimeProvider.System;
        FunctionName = functionName;
    }

    public string FunctionName { get; }

    /// <summary>Starts an invocation: the first one of this instance is the cold start (logged, and counted in the ColdStart metric).</summary>
    public InvocationTelemetry Begin(string? requestId, string? correlationId)
    {
        var coldStart = Interlocked.Increment(ref _invocations) == 1;
        var logger = new PowertoolsCompatibleLogger(_options.Logs, _options.ServiceName, FunctionName, _options.MinimumLevel, _clock, coldStart, requestId, correlationId);
        var metrics = new EmfMetrics(_options.Metrics, _options.MetricsNamespace, _clock);
        metrics.AddDimension("Service", _options.ServiceName);
        if (coldStart)
        {
            // As Powertools does: ColdStart in a document of its own, by function.
            var cold = new EmfMetrics(_options.Metrics, _options.MetricsNamespace, _clock);
            cold.AddDimension("Service", _options.ServiceName);
            cold.AddDimension("FunctionName", FunctionName);
            cold.AddMetric(MetricNames.ColdStart, MetricUnit.Count, 1);
            cold.Flush();
        }

        return new InvocationTelemetry(logger, metrics);
    }
}

/// <summary>The logger and metrics of one invocation. Flush the metrics at the end.</summary>
public sealed record InvocationTelemetry(PowertoolsCompatibleLogger Logger, EmfMetrics Metrics);
