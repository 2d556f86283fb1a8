using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Ingestion.Functions.Telemetry;

/// <summary>The metric names of the <c>StudentIngestion</c> namespace (DESIGN.md, Telemetry).</summary>
public static class MetricNames
{
    public const string Namespace = "StudentIngestion";
    public const string StudentsReceived = "StudentsReceived";
    public const string StudentsCreated = "StudentsCreated";
    public const string StudentsUpdated = "StudentsUpdated";
    public const string StudentsUnchanged = "StudentsUnchanged";
    public const string StudentsReplayed = "StudentsReplayed";
    public const string StudentsStale = "StudentsStale";
    public const string StudentsRejected = "StudentsRejected";
    public const string StudentsFailed = "StudentsFailed";
    public const string NotificationsPublished = "NotificationsPublished";
    public const string FilesProcessed = "FilesProcessed";
    public const string FilesQuarantined = "FilesQuarantined";
    public const string BatchDuration = "BatchDuration";
    public const string ColdStart = "ColdStart";
}

/// <summary>CloudWatch metric units (the subset this project uses), written as CloudWatch spells them.</summary>
public enum MetricUnit
{
    Count,
    Milliseconds,
    Seconds,
    Bytes,
    None,
}

/// <summary>
/// Writes CloudWatch Embedded Metric Format documents: the stand-in for Powertools' metrics utility (not served here).
/// </summary>
/// <remarks>
/// Per the EMF specification: the root holds <c>_aws</c> with <c>Timestamp</c> (epoch milliseconds) and
/// <c>CloudWatchMetrics</c>, an array of one directive <c>{Namespace, Dimensions: [[keys…]], Metrics: [{Name, Unit}]}</c>;
/// every dimension key and metric name is a root member (dimension values strings, metric values a number or an
/// array of numbers). A directive holds at most 100 metrics and a metric at most 100 values, so <see cref="Flush"/>
/// splits into as many documents as needed; a dimension set holds at most 30 keys. StudentID is never a dimension:
/// one metric stream per student would be unbounded cardinality and cost.
/// </remarks>
public sealed class EmfMetrics
{
    public const int MaxMetricsPerDocument = 100;
    public const int MaxValuesPerMetric = 100;
    public const int MaxDimensions = 30;

    private readonly ILineSink _sink;
    private readonly TimeProvider _clock;
    private readonly List<KeyValuePair<string, string>> _dimensions = [];
    private readonly List<KeyValuePair<string, string>> _metadata = [];
    private readonly List<(string Name, MetricUnit Unit, List<double> Values)> _metrics = [];

    public EmfMetrics(ILineSink sink, string @namespace = MetricNames.Namespace, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        if (@namespace.Length > 255)
        {
            throw new ArgumentException("A namespace is at most 255 characters.", nameof(@namespace));
        }

        _sink = sink;
        _clock = clock ?? TimeProvider.System;
        Namespace = @namespace;
    }

    public string Namespace { get; }

    /// <summary>Adds a dimension to every document this instance writes.</summary>
    /// <exception cref="ArgumentException">A StudentID dimension, more than 30, a reused key, or a name/value CloudWatch refuses.</exception>
    public void AddDimension(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (IsStudentId(name))
        {
            throw new ArgumentException("StudentID must never be a metric dimension: one metric stream per student.", nameof(name));
        }

        if (_dimensions.Count == MaxDimensions)
        {
            throw new ArgumentException($"A dimension set holds at most {MaxDimensions} dimensions.", nameof(name));
        }

        if (name.Length > 255 || name[0] == ':' || !Ascii.IsValid(name) || value.Length > 1024 || !Ascii.IsValid(value))
        {
            throw new ArgumentException("Dimension names (at most 255) and values (at most 1024) must be ASCII; names cannot start with ':'.", nameof(name));
        }

        EnsureUnused(name);
        _dimensions.Add(new(name, value));
    }

    /// <summary>Adds a root member that is neither a dimension nor a metric (searchable in Logs Insights, never a metric).</summary>
    public void AddMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        EnsureUnused(key);
        _metadata.Add(new(key, value));
    }

    /// <summary>Records one value of a metric; values of the same name accumulate until <see cref="Flush"/>.</summary>
    public void AddMetric(string name, MetricUnit unit, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!double.IsFinite(value))
        {
            throw new ArgumentException("A metric value must be a finite number.", nameof(value));
        }

        if (name.Length > 255)
        {
            throw new ArgumentException("A metric name is at most 255 characters.", nameof(name));
        }

        var index = _metrics.FindIndex(m => m.Name == name);
        if (index < 0)
        {
            EnsureUnused(name);
            _metrics.Add((name, unit, [value]));
        }
        else if (_metrics[index].Unit != unit)
        {
            throw new ArgumentException($"Metric {name} was recorded in {_metrics[index].Unit}, not {unit}.", nameof(unit));
        }
        else
        {
            _metrics[index].Values.Add(value);
        }
    }

    /// <summary>Writes the recorded metrics as one or more documents and forgets them (dimensions and metadata stay).</summary>
    public void Flush()
    {
        var offsets = new int[_metrics.Count];
        var timestamp = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        while (true)
        {
            var batch = new List<int>(Math.Min(_metrics.Count, MaxMetricsPerDocument));
            for (var i = 0; i < _metrics.Count && batch.Count < MaxMetricsPerDocument; i++)
            {
                if (offsets[i] < _metrics[i].Values.Count)
                {
                    batch.Add(i);
                }
            }

            if (batch.Count == 0)
            {
                break;
            }

            _sink.WriteLine(Document(batch, offsets, timestamp));
        }

        _metrics.Clear();
    }

    private string Document(List<int> batch, int[] offsets, long timestamp)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("_aws");
            writer.WriteNumber("Timestamp", timestamp);
            writer.WriteStartArray("CloudWatchMetrics");
            writer.WriteStartObject();
            writer.WriteString(nameof(Namespace), Namespace);
            writer.WriteStartArray("Dimensions");
            writer.WriteStartArray();
            foreach (var (name, _) in _dimensions)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
            writer.WriteEndArray();
            writer.WriteStartArray("Metrics");
            foreach (var i in batch)
            {
                writer.WriteStartObject();
                writer.WriteString("Name", _metrics[i].Name);
                writer.WriteString("Unit", _metrics[i].Unit.ToString());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            foreach (var (name, value) in _dimensions)
            {
                writer.WriteString(name, value);
            }

            foreach (var (key, value) in _metadata)
            {
                writer.WriteString(key, value);
            }

            foreach (var i in batch)
            {
                var values = _metrics[i].Values;
                var take = Math.Min(MaxValuesPerMetric, values.Count - offsets[i]);
                writer.WritePropertyName(_metrics[i].Name);
                if (take == 1)
                {
                    writer.WriteNumberValue(values[offsets[i]]);
                }
                else
                {
                    writer.WriteStartArray();
                    for (var v = 0; v < take; v++)
                    {
                        writer.WriteNumberValue(values[offsets[i] + v]);
                    }

                    writer.WriteEndArray();
                }

                offsets[i] += take;
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void EnsureUnused(string key)
    {
        if (key == "_aws" || _dimensions.Exists(d => d.Key == key) || _metadata.Exists(m => m.Key == key) || _metrics.Exists(m => m.Name == key))
        {
            throw new ArgumentException($"'{key}' is already a member of the document.", nameof(key));
        }
    }

    private static bool IsStudentId(string name)
    {
        Span<char> letters = stackalloc char[name.Length];
        var count = 0;
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                letters[count++] = char.ToLowerInvariant(c);
            }
        }

        return letters[..count].SequenceEqual("studentid");
    }
}
