using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Templates;
using Ingestion.States.Variables;

namespace Ingestion.States.Parsing;

/// <summary>
/// The fields that depend on the query language: JSONata templates and expressions, Assign in both languages, and
/// the JSONPath fields a JSONata state refuses.
/// </summary>
internal static class QueryFields
{
    /// <summary>What a JSONata state cannot have, each with what replaces it.</summary>
    private static readonly (string Field, string Instead)[] JsonPathOnly =
    [
        ("InputPath", "$states.input in Arguments or Output"),
        ("OutputPath", "Output"),
        ("Parameters", "Arguments (ItemSelector in a Map)"),
        ("ResultSelector", "Output"),
        ("ResultPath", "Output or Assign"),
        ("Result", "Output"),
        ("ItemsPath", "Items"),
        ("TimeoutSecondsPath", "TimeoutSeconds with {% %}"),
        ("HeartbeatSecondsPath", "HeartbeatSeconds with {% %}"),
        ("SecondsPath", "Seconds with {% %}"),
        ("TimestampPath", "Timestamp with {% %}"),
        ("MaxConcurrencyPath", "MaxConcurrency with {% %}"),
        ("ToleratedFailurePercentagePath", "ToleratedFailurePercentage with {% %}"),
        ("ToleratedFailureCountPath", "ToleratedFailureCount with {% %}"),
        ("ErrorPath", "Error with {% %}"),
        ("CausePath", "Cause with {% %}"),
    ];

    /// <summary>Reports every JSONPath-only field of a JSONata state, naming what to use instead.</summary>
    public static void RefuseJsonPathFields(FieldReader fields)
    {
        foreach (var (field, instead) in JsonPathOnly)
        {
            if (fields.Has(field))
            {
                fields.MarkRead(field);
                fields.Report(field, $"is a JSONPath field, not allowed in a JSONata state: use {instead}");
            }
        }
    }

    /// <summary>A JSONata state's template: <c>{% %}</c> strings anywhere in it are expressions, everything else literal.</summary>
    /// <param name="location">The field as AWS names it in errors: <c>Output</c>, <c>ItemReader/Arguments</c>.</param>
    public static PayloadTemplate CompileJsonata(JValue value, string location, Action<string, string> report, bool result = false, bool errorOutput = false)
    {
        switch (value)
        {
            case JString s when JsonataQuery.IsExpression(s.Value):
                if (!JsonataQuery.TryParse(s.Value, out var query, out var error))
                {
                    report(location, error);
                    return new PayloadTemplate.Constant(JValue.Null);
                }

                CheckStates(query, location, report, result, errorOutput);
                return new PayloadTemplate.JsonataField(location, query);
            case JObject obj:
                var keys = new string[obj.Count];
                var values = new PayloadTemplate[obj.Count];
                var dynamic = false;
                for (var i = 0; i < obj.Count; i++)
                {
                    keys[i] = obj[i].Key;
                    values[i] = CompileJsonata(obj[i].Value, $"{location}/{obj[i].Key}", report, result, errorOutput);
                    dynamic |= values[i] is not PayloadTemplate.Constant;
                }

                return dynamic ? new PayloadTemplate.ObjectTemplate(keys, values) : new PayloadTemplate.Constant(value);
            case JArray array:
                var items = new PayloadTemplate[array.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = CompileJsonata(array[i], $"{location}[{i}]", report, result, errorOutput);
                }

                return Array.TrueForAll(items, i => i is PayloadTemplate.Constant) ? new PayloadTemplate.Constant(value) : new PayloadTemplate.ArrayTemplate(items);
            default:
                return new PayloadTemplate.Constant(value);
        }
    }

    /// <summary>A field that is a literal or, in a JSONata state, a <c>{% %}</c> expression (TimeoutSeconds, MaxConcurrency…).</summary>
    public static JsonataQuery? Expression(FieldReader fields, string field)
    {
        if (fields.Language != QueryLanguage.Jsonata || fields.Object.Get(field) is not JString s || !JsonataQuery.IsExpression(s.Value))
        {
            return null;
        }

        fields.MarkRead(field);
        if (!JsonataQuery.TryParse(s.Value, out var query, out var error))
        {
            fields.Report(field, error);
            return null;
        }

        CheckStates(query, field, (f, m) => fields.Report(f, m), result: false, errorOutput: false);
        return query;
    }

    /// <summary>Assign, in either language: an object whose keys are variable names (<c>name.$</c> for a JSONPath path or call).</summary>
    public static PayloadTemplate? Assign(FieldReader fields, string field, JValue? raw, bool result = false, bool errorOutput = false)
    {
        switch (raw)
        {
            case null:
                return null;
            case not JObject:
                fields.Report(field, "must be an object of variable names and values");
                return null;
        }

        var jsonata = fields.Language == QueryLanguage.Jsonata;
        foreach (var (key, _) in (JObject)raw)
        {
            var name = !jsonata && key.EndsWith(".$", StringComparison.Ordinal) ? key[..^2] : key;
            if (VariableNames.Problem(name) is { } problem)
            {
                fields.Report($"{field}.{key}", problem);
            }
        }

        return jsonata
            ? CompileJsonata(raw, field.Replace('.', '/'), (f, m) => fields.Report(f.Replace('/', '.'), m), result, errorOutput)
            : PayloadTemplate.Compile(raw, (name, message) => fields.Report($"{field}.{name}", message));
    }

    /// <summary>AWS's rule on <c>$states</c>: <c>result</c> only once there is one, <c>errorOutput</c> only in a Catch.</summary>
    private static void CheckStates(JsonataQuery query, string location, Action<string, string> report, bool result, bool errorOutput)
    {
        if (query.ReadsResult && !result)
        {
            report(location, "$states.result is only available in the Output and Assign of a Task, Map or Parallel state");
        }

        if (query.ReadsErrorOutput && !errorOutput)
        {
            report(location, "$states.errorOutput is only available in the Output and Assign of a Catch");
        }
    }
}
