using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Model;

namespace Ingestion.States.Parsing;

/// <summary>Parses Retry and Catch, with the specification's rules on ErrorEquals.</summary>
internal static class ErrorHandlingParser
{
    public static IReadOnlyList<Retrier> Retriers(FieldReader fields)
    {
        var raw = fields.Raw("Retry");
        if (raw is null)
        {
            return [];
        }

        if (raw is not JArray array)
        {
            fields.Report("Retry", "must be an array of retriers");
            return [];
        }

        var retriers = new List<Retrier>();
        for (var i = 0; i < array.Count; i++)
        {
            var field = $"Retry[{i}]";
            if (array[i] is not JObject obj)
            {
                fields.Report(field, "must be an object");
                continue;
            }

            var errors = ErrorEquals(fields, field, obj, i == array.Count - 1);
            var interval = Positive(fields, obj, field, "IntervalSeconds", 1);
            var maxAttempts = obj.Get("MaxAttempts");
            var attempts = 3;
            if (maxAttempts is not null)
            {
                if (maxAttempts is JNumber n && n.TryGetInt32(out var a) && a >= 0 && a <= 99_999_999)
                {
                    attempts = a;
                }
                else
                {
                    fields.Report($"{field}.MaxAttempts", "must be a non-negative integer");
                }
            }

            var backoff = obj.Get("BackoffRate");
            var rate = 2.0;
            if (backoff is not null)
            {
                if (backoff is JNumber b && b.Value >= 1.0)
                {
                    rate = b.Value;
                }
                else
                {
                    fields.Report($"{field}.BackoffRate", "must be a number ≥ 1.0");
                }
            }

            int? maxDelay = null;
            if (obj.Get("MaxDelaySeconds") is { } md)
            {
                if (md is JNumber m && m.TryGetInt32(out var d) && d > 0)
                {
                    maxDelay = d;
                }
                else
                {
                    fields.Report($"{field}.MaxDelaySeconds", "must be a positive integer");
                }
            }

            var jitter = JitterStrategy.None;
            switch (obj.Get("JitterStrategy"))
            {
                case null:
                    break;
                case JString { Value: "FULL" }:
                    jitter = JitterStrategy.Full;
                    break;
                case JString { Value: "NONE" }:
                    break;
                default:
                    fields.Report($"{field}.JitterStrategy", "must be \"FULL\" or \"NONE\"");
                    break;
            }

            foreach (var (key, _) in obj)
            {
                if (key is not ("ErrorEquals" or "IntervalSeconds" or "MaxAttempts" or "BackoffRate" or "MaxDelaySeconds" or "JitterStrategy" or "Comment"))
                {
                    fields.Report($"{field}.{key}", "is not a field of a retrier");
                }
            }

            retriers.Add(new Retrier(errors, interval, attempts, rate, maxDelay, jitter));
        }

        return retriers;
    }

    public static IReadOnlyList<Catcher> Catchers(FieldReader fields)
    {
        var raw = fields.Raw("Catch");
        if (raw is null)
        {
            return [];
        }

        if (raw is not JArray array)
        {
            fields.Report("Catch", "must be an array of catchers");
            return [];
        }

        var catchers = new List<Catcher>();
        for (var i = 0; i < array.Count; i++)
        {
            var field = $"Catch[{i}]";
            if (array[i] is not JObject obj)
            {
                fields.Report(field, "must be an object");
                continue;
            }

            var errors = ErrorEquals(fields, field, obj, i == array.Count - 1);
            var next = obj.Get("Next") as JString;
            if (next is null)
            {
                fields.Report($"{field}.Next", "is required");
            }

            Paths.JsonPath? resultPath = StatePaths.Root;
            switch (obj.Get("ResultPath"))
            {
                case null:
                    break;
                case JNull:
                    resultPath = null;
                    break;
                case JString s when Paths.JsonPath.TryParseReference(s.Value, out var path, out var error) || ReportPath(fields, field, error):
                    resultPath = path;
                    break;
                default:
                    fields.Report($"{field}.ResultPath", "must be a reference path or null");
                    break;
            }

            var jsonata = fields.Language == QueryLanguage.Jsonata;
            foreach (var (key, _) in obj)
            {
                if (key is "ResultPath" && jsonata)
                {
                    fields.Report($"{field}.{key}", "is a JSONPath field, not allowed in a JSONata state: use Output or Assign");
                }
                else if (key is not ("ErrorEquals" or "Next" or "ResultPath" or "Comment" or "Assign") && !(key == "Output" && jsonata))
                {
                    fields.Report($"{field}.{key}", "is not a field of a catcher");
                }
            }

            catchers.Add(new Catcher(errors, next?.Value ?? "", resultPath)
            {
                Assign = QueryFields.Assign(fields, $"{field}.Assign", obj.Get("Assign"), errorOutput: true),
                Output = jsonata && obj.Get("Output") is { } output
                    ? QueryFields.CompileJsonata(output, $"{field}/Output", (f, m) => fields.Report(f.Replace('/', '.'), m), errorOutput: true)
                    : null,
            });
        }

        return catchers;
    }

    private static bool ReportPath(FieldReader fields, string field, string? error)
    {
        fields.Report($"{field}.ResultPath", error ?? "is not a reference path");
        return false;
    }

    private static double Positive(FieldReader fields, JObject obj, string field, string name, double fallback)
    {
        var raw = obj.Get(name);
        if (raw is null)
        {
            return fallback;
        }

        if (raw is JNumber n && n.TryGetInt32(out var value) && value > 0)
        {
            return value;
        }

        fields.Report($"{field}.{name}", "must be a positive integer");
        return fallback;
    }

    private static List<string> ErrorEquals(FieldReader fields, string field, JObject obj, bool isLast)
    {
        if (obj.Get("ErrorEquals") is not JArray array || array.Count == 0)
        {
            fields.Report($"{field}.ErrorEquals", "is required: a non-empty array of error names");
            return [];
        }

        var names = new List<string>();
        foreach (var item in array)
        {
            if (item is JString s)
            {
                names.Add(s.Value);
            }
            else
            {
                fields.Report($"{field}.ErrorEquals", "must contain only strings");
            }
        }

        if (names.Contains(StatesErrors.All))
        {
            if (names.Count > 1)
            {
                fields.Report($"{field}.ErrorEquals", "States.ALL must appear alone");
            }

            if (!isLast)
            {
                fields.Report($"{field}.ErrorEquals", "States.ALL must be in the last retrier or catcher");
            }
        }

        return names;
    }
}
