using System.Globalization;
using System.Text.Json;
using Ingestion.Functions.Telemetry;
using Ingestion.Functions.Tests.Support;
using Ingestion.Testing;

namespace Ingestion.Functions.Tests.Telemetry;

public sealed class LoggerTests
{
    private readonly MemoryLineSink _sink = new();
    private readonly ManualClock _clock = new();

    private PowertoolsCompatibleLogger Logger(LogLevel level = LogLevel.Info) =>
        new(_sink, "ingestion", "StoreStudents", level, _clock, coldStart: true, requestId: "req-1", correlationId: "exec-1");

    private JsonElement Single() => JsonDocument.Parse(Assert.Single(_sink.Lines)).RootElement;

    [Fact]
    public void Lines_carry_the_Powertools_fields_in_order()
    {
        Logger().Info("Stored batch", ("created", 3), ("fileKey", "incoming/a.json"));

        var line = Single();
        Assert.Equal(
            ["level", "message", "timestamp", "service", "cold_start", "function_name", "function_request_id", "correlation_id", "created", "fileKey"],
            line.EnumerateObject().Select(p => p.Name));
        Assert.Equal("INFO", line.GetProperty("level").GetString());
        Assert.Equal("2026-11-24T02:00:00.000Z", line.GetProperty("timestamp").GetString());
        Assert.Equal(DateTimeKind.Utc, DateTime.Parse(line.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal).Kind);
        Assert.True(line.GetProperty("cold_start").GetBoolean());
        Assert.Equal(("StoreStudents", "req-1", "exec-1"), (line.GetProperty("function_name").GetString(), line.GetProperty("function_request_id").GetString(), line.GetProperty("correlation_id").GetString()));
        Assert.Equal(3, line.GetProperty("created").GetInt32());
    }

    [Fact]
    public void Email_and_name_fields_are_masked_whatever_their_value()
    {
        Logger().Info("Rejected", ("Email", "ada@example.edu"), ("Name", "Ada Lovelace"), ("studentName", "Ada"), ("fileName", "students.json"));

        var line = Single();
        Assert.Equal(PowertoolsCompatibleLogger.Masked, line.GetProperty("Email").GetString());
        Assert.Equal(PowertoolsCompatibleLogger.Masked, line.GetProperty("Name").GetString());
        Assert.Equal(PowertoolsCompatibleLogger.Masked, line.GetProperty("studentName").GetString());
        Assert.Equal("students.json", line.GetProperty("fileName").GetString());
        Assert.DoesNotContain("Lovelace", _sink.Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Email_addresses_in_messages_values_and_exceptions_are_masked()
    {
        Logger().Error("Could not notify ada@example.edu", new InvalidOperationException("bounce from bob@example.org"), ("detail", "cc: zoë.n@uni.example.ac.uk"));

        Assert.DoesNotContain("ada@example.edu", _sink.Lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("bob@example.org", _sink.Lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("zoë.n@", _sink.Lines[0], StringComparison.Ordinal);
        var line = Single();
        Assert.Equal("Could not notify ***@***", line.GetProperty("message").GetString());
        Assert.Equal("System.InvalidOperationException", line.GetProperty("exception").GetProperty("type").GetString());
    }

    [Fact]
    public void Levels_below_the_minimum_are_dropped()
    {
        var logger = Logger(LogLevel.Warn);
        logger.Debug("d");
        logger.Info("i");
        logger.Warn("w");

        Assert.Equal("WARN", Single().GetProperty("level").GetString());
    }

    [Theory]
    [InlineData("DEBUG", LogLevel.Debug)]
    [InlineData("info", LogLevel.Info)]
    [InlineData("WARN", LogLevel.Warn)]
    [InlineData("ERROR", LogLevel.Error)]
    [InlineData(null, LogLevel.Info)]
    public void POWERTOOLS_LOG_LEVEL_values_parse(string? value, LogLevel expected) =>
        Assert.Equal(expected, PowertoolsCompatibleLogger.ParseLevel(value));

    [Fact]
    public void Extras_cannot_overwrite_the_standard_fields()
    {
        Logger().Info("m", ("level", "FAKE"), ("service", "other"));

        var line = Single();
        Assert.Equal(("INFO", "ingestion"), (line.GetProperty("level").GetString(), line.GetProperty("service").GetString()));
    }
}

public sealed class EmfMetricsTests
{
    private readonly MemoryLineSink _sink = new();
    private readonly ManualClock _clock = new();

    private EmfMetrics Metrics()
    {
        var metrics = new EmfMetrics(_sink, MetricNames.Namespace, _clock);
        metrics.AddDimension("Service", "ingestion");
        return metrics;
    }

    [Fact]
    public void A_document_follows_the_specification()
    {
        var metrics = Metrics();
        metrics.AddMetadata("fileKey", "incoming/a.json");
        metrics.AddMetric(MetricNames.StudentsCreated, MetricUnit.Count, 3);
        metrics.AddMetric(MetricNames.BatchDuration, MetricUnit.Milliseconds, 12.5);
        metrics.Flush();

        var root = Emf.AssertValid(Assert.Single(_sink.Lines));
        var aws = root.GetProperty("_aws");
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeMilliseconds(), aws.GetProperty("Timestamp").GetInt64());
        var directive = Assert.Single(aws.GetProperty("CloudWatchMetrics").EnumerateArray());
        Assert.Equal("StudentIngestion", directive.GetProperty("Namespace").GetString());
        Assert.Equal("[[\"Service\"]]", directive.GetProperty("Dimensions").GetRawText());
        Assert.Equal("[{\"Name\":\"StudentsCreated\",\"Unit\":\"Count\"},{\"Name\":\"BatchDuration\",\"Unit\":\"Milliseconds\"}]", directive.GetProperty("Metrics").GetRawText());
        Assert.Equal(("ingestion", "incoming/a.json", 3d, 12.5), (root.GetProperty("Service").GetString(), root.GetProperty("fileKey").GetString(), root.GetProperty("StudentsCreated").GetDouble(), root.GetProperty("BatchDuration").GetDouble()));
    }

    [Fact]
    public void More_than_100_metrics_split_into_several_documents()
    {
        var metrics = Metrics();
        for (var i = 0; i < 150; i++)
        {
            metrics.AddMetric($"M{i}", MetricUnit.Count, i);
        }

        metrics.Flush();

        Assert.Equal(2, _sink.Lines.Count);
        var counts = _sink.Lines.Select(l => Emf.AssertValid(l).GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").GetArrayLength());
        Assert.Equal([100, 50], counts);
        Assert.Equal(Enumerable.Range(0, 150).Sum(), Enumerable.Range(0, 150).Sum(i => Emf.Values(_sink.Lines, $"M{i}").Single()));
    }

    [Fact]
    public void More_than_100_values_of_a_metric_split_into_several_documents()
    {
        var metrics = Metrics();
        for (var i = 0; i < 250; i++)
        {
            metrics.AddMetric(MetricNames.BatchDuration, MetricUnit.Milliseconds, i);
        }

        metrics.AddMetric(MetricNames.StudentsCreated, MetricUnit.Count, 7);
        metrics.Flush();

        Assert.Equal(3, _sink.Lines.Count);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => (double)i), Emf.Values(_sink.Lines, MetricNames.BatchDuration));
        Assert.Equal([7d], Emf.Values(_sink.Lines, MetricNames.StudentsCreated));
    }

    [Fact]
    public void Flush_forgets_the_metrics_and_writes_nothing_when_empty()
    {
        var metrics = Metrics();
        metrics.AddMetric(MetricNames.StudentsCreated, MetricUnit.Count, 1);
        metrics.Flush();
        metrics.Flush();

        Assert.Single(_sink.Lines);
    }

    [Theory]
    [InlineData("StudentID")]
    [InlineData("studentId")]
    [InlineData("student_id")]
    public void StudentID_is_never_a_dimension(string name) =>
        Assert.Throws<ArgumentException>(() => Metrics().AddDimension(name, "S-1000"));

    [Fact]
    public void At_most_30_dimensions()
    {
        var metrics = Metrics();
        for (var i = 1; i < 30; i++)
        {
            metrics.AddDimension($"D{i}", "x");
        }

        Assert.Throws<ArgumentException>(() => metrics.AddDimension("D30", "x"));
    }

    [Fact]
    public void Values_must_be_finite_and_units_consistent()
    {
        var metrics = Metrics();
        Assert.Throws<ArgumentException>(() => metrics.AddMetric("M", MetricUnit.Count, double.NaN));
        metrics.AddMetric("M", MetricUnit.Count, 1);
        Assert.Throws<ArgumentException>(() => metrics.AddMetric("M", MetricUnit.Milliseconds, 1));
        Assert.Throws<ArgumentException>(() => metrics.AddMetric("Service", MetricUnit.Count, 1));
    }

    [Fact]
    public void Cold_start_is_counted_once_per_function_instance()
    {
        var telemetry = new FunctionTelemetry(TelemetryOptions.To(_sink), "StoreStudents", _clock);

        var first = telemetry.Begin("r1", null);
        var second = telemetry.Begin("r2", null);

        Assert.True(first.Logger.ColdStart);
        Assert.False(second.Logger.ColdStart);
        Assert.Equal([1d], Emf.Values(_sink.Lines, MetricNames.ColdStart));
        var root = Emf.AssertValid(_sink.Lines[0]);
        Assert.Equal("StoreStudents", root.GetProperty("FunctionName").GetString());
    }
}
