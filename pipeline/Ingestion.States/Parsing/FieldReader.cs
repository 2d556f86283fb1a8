using Ingestion.States.Intrinsics;
using Ingestion.States.Json;
using Ingestion.States.Paths;
using Ingestion.States.Templates;
using Ingestion.States.Validation;

namespace Ingestion.States.Parsing;

/// <summary>Reads the fields of one JSON object of a definition, reporting each problem with the state and field.</summary>
internal sealed class FieldReader(JObject obj, string state, List<ValidationProblem> problems, string fieldPrefix = "")
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public JObject Object => obj;

    public string State => state;

    /// <summary>The query language of the state the fields belong to: JSONata reads templates as <c>{% %}</c> expressions.</summary>
    public Model.QueryLanguage Language { get; set; }

    /// <summary>The field's name as AWS locates a JSONata failure: <c>/</c> between the levels.</summary>
    public string Location(string field) => (fieldPrefix + field).Replace('.', '/');

    public void Report(string field, string message) => problems.Add(new ValidationProblem(state, fieldPrefix + field, message));

    public bool Has(string field) => obj.TryGetValue(field, out _);

    public JValue? Raw(string field)
    {
        _read.Add(field);
        return obj.Get(field);
    }

    public string? String(string field, bool required = false)
    {
        var value = Raw(field);
        switch (value)
        {
            case null when required:
                Report(field, "is required");
                return null;
            case null:
                return null;
            case JString s:
                return s.Value;
            default:
                Report(field, "must be a string");
                return null;
        }
    }

    public int? Integer(string field, int min = 0, int max = int.MaxValue)
    {
        var value = Raw(field);
        if (value is null)
        {
            return null;
        }

        if (value is JNumber n && n.TryGetInt32(out var i) && i >= min && i <= max)
        {
            return i;
        }

        Report(field, max == int.MaxValue ? $"must be an integer ≥ {min}" : $"must be an integer between {min} and {max}");
        return null;
    }

    public double? Number(string field, double min = double.MinValue, double max = double.MaxValue)
    {
        var value = Raw(field);
        if (value is null)
        {
            return null;
        }

        if (value is JNumber n && n.Value >= min && n.Value <= max)
        {
            return n.Value;
        }

        Report(field, $"must be a number between {min} and {max}");
        return null;
    }

    public bool? Boolean(string field)
    {
        var value = Raw(field);
        if (value is null)
        {
            return null;
        }

        if (value is JBool b)
        {
            return b.Value;
        }

        Report(field, "must be a boolean");
        return null;
    }

    public JObject? ObjectField(string field, bool required = false)
    {
        var value = Raw(field);
        switch (value)
        {
            case null when required:
                Report(field, "is required");
                return null;
            case null:
                return null;
            case JObject o:
                return o;
            default:
                Report(field, "must be an object");
                return null;
        }
    }

    /// <summary>
    /// A reference path field (InputPath, ResultPath, …). Absent gives <paramref name="absent"/>;
    /// JSON null gives null (the "discard" meaning) when <paramref name="nullable"/>.
    /// </summary>
    public JsonPath? ReferencePath(string field, JsonPath? absent = null, bool nullable = false, bool allowContext = true)
    {
        var value = Raw(field);
        switch (value)
        {
            case null:
                return absent;
            case JNull when nullable:
                return null;
            case JString s:
                if (!JsonPath.TryParseReference(s.Value, out var path, out var error))
                {
                    Report(field, error);
                    return absent;
                }

                if (path.IsContext && !allowContext)
                {
                    Report(field, "cannot refer to the context object ($$)");
                    return absent;
                }

                if (path.Variable is not null && !allowContext)
                {
                    Report(field, "cannot refer to a variable: only Assign sets variables");
                    return absent;
                }

                return path;
            default:
                Report(field, nullable ? "must be a reference path or null" : "must be a reference path string");
                return absent;
        }
    }

    public PayloadTemplate? Template(string field, string missingPathError = Errors.StatesErrors.Runtime)
    {
        var value = Raw(field);
        if (value is null)
        {
            return null;
        }

        if (Language == Model.QueryLanguage.Jsonata)
        {
            return QueryFields.CompileJsonata(value, Location(field), (location, message) => problems.Add(new ValidationProblem(state, location.Replace('/', '.'), message)));
        }

        return PayloadTemplate.Compile(value, (name, message) => Report($"{field}.{name}", message), missingPathError);
    }

    public IntrinsicCall? Intrinsic(string field, string text)
    {
        if (IntrinsicParser.TryParse(text, out var call, out var error))
        {
            return call;
        }

        Report(field, error);
        return null;
    }

    /// <summary>Reports every field that no reader asked for: a field not allowed on this kind of object.</summary>
    public void ReportUnknown(string what)
    {
        foreach (var property in obj)
        {
            if (!_read.Contains(property.Key))
            {
                problems.Add(new ValidationProblem(state, fieldPrefix + property.Key, $"is not a field of {what}"));
            }
        }
    }

    public void MarkRead(params string[] fields)
    {
        foreach (var field in fields)
        {
            _read.Add(field);
        }
    }
}
