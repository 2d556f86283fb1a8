using Ingestion.Functions.Telemetry;
using Ingestion.States.Errors;
using Ingestion.States.Integrations;
using Ingestion.States.Json;

namespace Ingestion.Local.Integrations;

/// <summary>
/// <c>arn:aws:states:::aws-sdk:cloudwatch:putMetricData</c>: each datum becomes an Embedded Metric Format document
/// in the metrics log, next to the functions' own metrics, so <c>ingest metrics</c> totals both.
/// </summary>
public static class CloudWatchIntegration
{
    public const string SdkPrefix = "arn:aws:states:::aws-sdk:cloudwatch:";

    public static void Register(TaskRegistry tasks, ILineSink metrics, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        tasks.Register(SdkPrefix, (request, _) =>
        {
            var action = request.Resource[SdkPrefix.Length..];
            if (action != "putMetricData")
            {
                throw StatesException.Runtime($"The local runtime supports cloudwatch putMetricData, not '{action}' ({request.Resource}).");
            }

            PutMetricData(request.Parameters as JObject ?? throw Invalid("The parameters must be an object."), metrics, clock);
            return ValueTask.FromResult<JValue>(new JObject([]));
        });
    }

    private static void PutMetricData(JObject parameters, ILineSink sink, TimeProvider clock)
    {
        var @namespace = parameters.Get("Namespace") is JString { Value.Length: > 0 } ns ? ns.Value : throw Invalid("The parameter Namespace is required.");
        if (parameters.Get("MetricData") is not JArray { Count: > 0 } data)
        {
            throw Invalid("The parameter MetricData is required.");
        }

        try
        {
            foreach (var datum in data.OfType<JObject>())
            {
                var name = datum.Get("MetricName") is JString { Value.Length: > 0 } n ? n.Value : throw Invalid("The parameter MetricData.member.MetricName is required.");
                // CloudWatch has more units than the project's EMF writer; the others are kept as None.
                var unit = datum.Get("Unit") is JString u && Enum.TryParse<MetricUnit>(u.Value, out var parsed) ? parsed : MetricUnit.None;
                var emf = new EmfMetrics(sink, @namespace, clock);
                if (datum.Get("Dimensions") is JArray dimensions)
                {
                    foreach (var dimension in dimensions.OfType<JObject>())
                    {
                        emf.AddDimension(((dimension.Get("Name") as JString)?.Value)!, ((dimension.Get("Value") as JString)?.Value)!);
                    }
                }

                foreach (var value in Values(datum))
                {
                    emf.AddMetric(name, unit, value);
                }

                emf.Flush();
            }
        }
        catch (ArgumentException e)
        {
            throw Invalid(e.Message);
        }
    }

    private static IEnumerable<double> Values(JObject datum)
    {
        if (datum.Get("Value") is JNumber single)
        {
            yield return single.Value;
        }

        if (datum.Get("Values") is JArray values)
        {
            var counts = datum.Get("Counts") as JArray;
            for (var i = 0; i < values.Count; i++)
            {
                var times = counts is not null && i < counts.Count && counts[i] is JNumber c ? Math.Clamp((int)c.Value, 0, EmfMetrics.MaxValuesPerMetric) : 1;
                for (var t = 0; t < times; t++)
                {
                    yield return values[i] is JNumber v ? v.Value : throw Invalid("MetricData Values must be numbers.");
                }
            }
        }

        if (datum.Get("StatisticValues") is JObject statistics && statistics.Get("Sum") is JNumber sum)
        {
            yield return sum.Value;
        }
    }

    private static StatesException Invalid(string message) => new("CloudWatch.InvalidParameterValueException", message);
}
