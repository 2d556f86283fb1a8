using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Templates;
using Ingestion.States.Validation;

namespace Ingestion.States.Parsing;

/// <summary>Parses one state by its Type; every field a type does not allow is reported.</summary>
internal static class StateParser
{
    /// <param name="machineLanguage">The machine's QueryLanguage, which a state inherits unless it names its own.</param>
    public static State? Parse(string name, string qualified, JObject obj, List<ValidationProblem> problems, QueryLanguage machineLanguage = QueryLanguage.JsonPath)
    {
        var fields = new FieldReader(obj, qualified, problems);
        var type = fields.String("Type", required: true);
        fields.String("Comment");
        fields.Language = Language(fields, machineLanguage);
        if (fields.Language == QueryLanguage.Jsonata)
        {
            QueryFields.RefuseJsonPathFields(fields);
        }

        State? state = type switch
        {
            "Pass" => ParsePass(name, fields),
            "Task" => ParseTask(name, fields),
            "Choice" => ChoiceParser.Parse(name, fields),
            "Wait" => ParseWait(name, fields),
            "Succeed" => ParseSucceed(name, fields),
            "Fail" => ParseFail(name, fields),
            "Parallel" => ParseParallel(name, qualified, fields, problems, machineLanguage),
            "Map" => MapParser.Parse(name, qualified, fields, problems, machineLanguage),
            null => null,
            _ => Unknown(fields, type),
        };
        if (state is null)
        {
            return null;
        }

        // Every state but Succeed and Fail may assign variables; every JSONata state but Fail has an Output.
        var producesResult = state is State.Task or State.Map or State.Parallel;
        var assign = state is State.Succeed or State.Fail ? null : QueryFields.Assign(fields, "Assign", fields.Raw("Assign"), result: producesResult);
        var output = fields.Language == QueryLanguage.Jsonata && state is not State.Fail && fields.Raw("Output") is { } raw
            ? QueryFields.CompileJsonata(raw, "Output", (f, m) => fields.Report(f.Replace('/', '.'), m), result: producesResult)
            : null;
        fields.ReportUnknown($"a {type} state");
        return state with
        {
            Comment = fields.Object.Get("Comment") is JString c ? c.Value : null,
            QueryLanguage = fields.Language,
            Assign = assign,
            Output = output,
        };
    }

    /// <summary>A state may be JSONata in a JSONPath machine, not JSONPath in a JSONata one.</summary>
    private static QueryLanguage Language(FieldReader fields, QueryLanguage machineLanguage)
    {
        switch (fields.String("QueryLanguage"))
        {
            case null:
                return machineLanguage;
            case "JSONata":
                return QueryLanguage.Jsonata;
            case "JSONPath" when machineLanguage == QueryLanguage.Jsonata:
                fields.Report("QueryLanguage", "a state of a JSONata state machine cannot use JSONPath");
                return machineLanguage;
            case "JSONPath":
                return QueryLanguage.JsonPath;
            case var other:
                fields.Report("QueryLanguage", $"'{other}' must be JSONPath or JSONata");
                return machineLanguage;
        }
    }

    private static State? Unknown(FieldReader fields, string type)
    {
        fields.Report("Type", $"'{type}' is not a state type (Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map)");
        return null;
    }

    /// <summary>Next or End: exactly one, for every type that transitions.</summary>
    internal static string? Transition(FieldReader fields)
    {
        var next = fields.String("Next");
        var end = fields.Boolean("End");
        if (next is not null && end == true)
        {
            fields.Report("End", "cannot be combined with Next");
        }
        else if (next is null && end != true)
        {
            fields.Report("Next", "is required (or \"End\": true)");
        }

        if (end == false && next is null)
        {
            fields.Report("End", "must be true when present");
        }

        return next;
    }

    internal static (JsonPathPair Io, string? Next) Common(FieldReader fields, bool transitions = true)
    {
        var input = fields.ReferencePath("InputPath", StatePaths.Root, nullable: true);
        var output = fields.ReferencePath("OutputPath", StatePaths.Root, nullable: true);
        var next = transitions ? Transition(fields) : null;
        return (new JsonPathPair(input, output), next);
    }

    private static State.Pass ParsePass(string name, FieldReader fields)
    {
        var (io, next) = Common(fields);
        return new State.Pass
        {
            Name = name,
            Next = next,
            InputPath = io.Input,
            OutputPath = io.Output,
            Result = fields.Raw("Result"),
            Parameters = fields.Template("Parameters"),
            ResultPath = fields.ReferencePath("ResultPath", StatePaths.Root, nullable: true, allowContext: false),
        };
    }

    private static State.Task ParseTask(string name, FieldReader fields)
    {
        var (io, next) = Common(fields);
        var resource = fields.String("Resource", required: true) ?? "";
        if (resource.Length > 0 && !resource.StartsWith("arn:", StringComparison.Ordinal) && !Placeholders.IsPlaceholder(resource))
        {
            fields.Report("Resource", $"'{resource}' is not an ARN (or a ${{Placeholder}})");
        }

        var timeoutExpression = QueryFields.Expression(fields, "TimeoutSeconds");
        var timeout = timeoutExpression is null ? fields.Integer("TimeoutSeconds", min: 1, max: 99_999_999) : null;
        var timeoutPath = fields.ReferencePath("TimeoutSecondsPath");
        var heartbeatExpression = QueryFields.Expression(fields, "HeartbeatSeconds");
        var heartbeat = heartbeatExpression is null ? fields.Integer("HeartbeatSeconds", min: 1, max: 99_999_999) : null;
        var heartbeatPath = fields.ReferencePath("HeartbeatSecondsPath");
        if (timeout is not null && timeoutPath is not null)
        {
            fields.Report("TimeoutSecondsPath", "cannot be combined with TimeoutSeconds");
        }

        if (heartbeat is not null && heartbeatPath is not null)
        {
            fields.Report("HeartbeatSecondsPath", "cannot be combined with HeartbeatSeconds");
        }

        if (heartbeat is not null && timeout is not null && heartbeat >= timeout)
        {
            fields.Report("HeartbeatSeconds", "must be smaller than TimeoutSeconds");
        }

        fields.MarkRead("Credentials");
        return new State.Task
        {
            Name = name,
            Next = next,
            InputPath = io.Input,
            OutputPath = io.Output,
            Resource = resource,
            Parameters = Arguments(fields),
            ResultSelector = fields.Template("ResultSelector"),
            ResultPath = fields.ReferencePath("ResultPath", StatePaths.Root, nullable: true, allowContext: false),
            Retry = ErrorHandlingParser.Retriers(fields),
            Catch = ErrorHandlingParser.Catchers(fields),
            TimeoutSeconds = timeout,
            TimeoutSecondsPath = timeoutPath,
            TimeoutSecondsExpression = timeoutExpression,
            HeartbeatSeconds = heartbeat,
            HeartbeatSecondsPath = heartbeatPath,
            HeartbeatSecondsExpression = heartbeatExpression,
        };
    }

    /// <summary>Parameters, or the Arguments that replace them in a JSONata state.</summary>
    internal static PayloadTemplate? Arguments(FieldReader fields) =>
        fields.Template(fields.Language == QueryLanguage.Jsonata ? "Arguments" : "Parameters");

    private static State.Wait ParseWait(string name, FieldReader fields)
    {
        var (io, next) = Common(fields);
        var secondsExpression = QueryFields.Expression(fields, "Seconds");
        var seconds = secondsExpression is null ? fields.Integer("Seconds", min: 0, max: 99_999_999) : null;
        var secondsPath = fields.ReferencePath("SecondsPath");
        var timestampExpression = QueryFields.Expression(fields, "Timestamp");
        var timestampText = timestampExpression is null ? fields.String("Timestamp") : null;
        var timestampPath = fields.ReferencePath("TimestampPath");
        DateTimeOffset? timestamp = null;
        if (timestampText is not null)
        {
            if (Timestamps.TryParse(timestampText, out var parsed))
            {
                timestamp = parsed;
            }
            else
            {
                fields.Report("Timestamp", $"'{timestampText}' is not an RFC 3339 timestamp such as 2016-03-14T01:59:00Z");
            }
        }

        var count = (fields.Has("Seconds") ? 1 : 0) + (secondsPath is not null ? 1 : 0) + (fields.Has("Timestamp") ? 1 : 0) + (timestampPath is not null ? 1 : 0);
        if (count != 1)
        {
            fields.Report("Seconds", "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath");
        }

        return new State.Wait
        {
            Name = name,
            Next = next,
            InputPath = io.Input,
            OutputPath = io.Output,
            Seconds = seconds,
            SecondsPath = secondsPath,
            Timestamp = timestamp,
            TimestampPath = timestampPath,
            SecondsExpression = secondsExpression,
            TimestampExpression = timestampExpression,
        };
    }

    private static State.Succeed ParseSucceed(string name, FieldReader fields)
    {
        var (io, _) = Common(fields, transitions: false);
        return new State.Succeed { Name = name, InputPath = io.Input, OutputPath = io.Output };
    }

    private static State.Fail ParseFail(string name, FieldReader fields)
    {
        // A JSONata Fail state's Error and Cause may be expressions, kept where JSONPath keeps ErrorPath and CausePath.
        var errorExpression = QueryFields.Expression(fields, "Error");
        var causeExpression = QueryFields.Expression(fields, "Cause");
        var error = errorExpression is null ? fields.String("Error") : null;
        var cause = causeExpression is null ? fields.String("Cause") : null;
        var errorPath = errorExpression is null ? DynamicString(fields, "ErrorPath") : new PayloadTemplate.JsonataField("Error", errorExpression);
        var causePath = causeExpression is null ? DynamicString(fields, "CausePath") : new PayloadTemplate.JsonataField("Cause", causeExpression);
        if (error is not null && errorPath is not null)
        {
            fields.Report("ErrorPath", "cannot be combined with Error");
        }

        if (cause is not null && causePath is not null)
        {
            fields.Report("CausePath", "cannot be combined with Cause");
        }

        return new State.Fail { Name = name, Error = error, Cause = cause, ErrorPath = errorPath, CausePath = causePath };
    }

    /// <summary>ErrorPath/CausePath: a reference path or an intrinsic function, as AWS allows.</summary>
    private static PayloadTemplate? DynamicString(FieldReader fields, string field)
    {
        var raw = fields.Raw(field);
        switch (raw)
        {
            case null:
                return null;
            case JString s when Intrinsics.IntrinsicParser.LooksLikeCall(s.Value):
                var call = fields.Intrinsic(field, s.Value);
                return call is null ? null : new PayloadTemplate.IntrinsicField(field, call) { Expression = s.Value };
            case JString:
                var path = fields.ReferencePath(field);
                return path is null ? null : new PayloadTemplate.PathField(field, path) { MissingPathError = Errors.StatesErrors.Runtime };
            default:
                fields.Report(field, "must be a reference path or an intrinsic function call");
                return null;
        }
    }

    private static State.Parallel ParseParallel(string name, string qualified, FieldReader fields, List<ValidationProblem> problems, QueryLanguage machineLanguage)
    {
        var (io, next) = Common(fields);
        var branches = new List<StateGraph>();
        switch (fields.Raw("Branches"))
        {
            case JArray array when array.Count > 0:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is not JObject branch)
                    {
                        fields.Report($"Branches[{i}]", "must be an object with StartAt and States");
                        continue;
                    }

                    var branchFields = new FieldReader(branch, qualified, problems, $"Branches[{i}].");
                    var graph = GraphParser.Parse(branchFields, qualified, problems, machineLanguage);
                    branchFields.ReportUnknown("a branch");
                    if (graph is not null)
                    {
                        GraphValidator.Validate(graph, qualified, problems);
                        branches.Add(graph);
                    }
                }

                break;
            default:
                fields.Report("Branches", "is required: a non-empty array of branches");
                break;
        }

        return new State.Parallel
        {
            Name = name,
            Next = next,
            InputPath = io.Input,
            OutputPath = io.Output,
            Branches = branches,
            Parameters = Arguments(fields),
            ResultSelector = fields.Template("ResultSelector"),
            ResultPath = fields.ReferencePath("ResultPath", StatePaths.Root, nullable: true, allowContext: false),
            Retry = ErrorHandlingParser.Retriers(fields),
            Catch = ErrorHandlingParser.Catchers(fields),
        };
    }
}

internal readonly record struct JsonPathPair(Paths.JsonPath? Input, Paths.JsonPath? Output);

/// <summary><c>${Name}</c> strings left in a definition for CDK's DefinitionSubstitutions.</summary>
internal static class Placeholders
{
    public static bool IsPlaceholder(string text) =>
        text.Length > 3 && text.StartsWith("${", StringComparison.Ordinal) && text.EndsWith('}') && text.IndexOf('}', StringComparison.Ordinal) == text.Length - 1;

    /// <summary>Replaces every <c>${Name}</c> in the definition text with its value.</summary>
    public static string Substitute(string definition, IReadOnlyDictionary<string, string> values)
    {
        var result = definition;
        foreach (var (name, value) in values)
        {
            result = result.Replace("${" + name + "}", value, StringComparison.Ordinal);
        }

        return result;
    }
}
