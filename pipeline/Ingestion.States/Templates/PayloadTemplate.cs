using Ingestion.States.Errors;
using Ingestion.States.Intrinsics;
using Ingestion.States.Json;
using Ingestion.States.Paths;

namespace Ingestion.States.Templates;

/// <summary>
/// A compiled payload template (Parameters, ResultSelector, ItemSelector, ItemReader/ResultWriter
/// Parameters): the static parts are built once, the <c>.$</c> fields hold parsed paths and calls.
/// </summary>
internal abstract record PayloadTemplate
{
    private PayloadTemplate()
    {
    }

    /// <summary>
    /// The error raised when a <c>.$</c> path finds nothing (AWS reports which field): States.Runtime, as AWS raises it
    /// in Parameters, ResultSelector and ItemSelector alike, not the States.ParameterPathFailure the specification names.
    /// </summary>
    internal string MissingPathError { get; init; } = StatesErrors.Runtime;

    public abstract JValue Evaluate(EvaluationScope scope);

    public sealed record Constant(JValue Value) : PayloadTemplate
    {
        public override JValue Evaluate(EvaluationScope scope) => Value;
    }

    public sealed record PathField(string Field, JsonPath Path) : PayloadTemplate
    {
        public override JValue Evaluate(EvaluationScope scope)
        {
            if (Path.MapItem != MapItemPart.None && scope.Context is { } context && context.TryGetMapItem(out var index, out var item))
            {
                // The context object would hold exactly these: no need to build it for every item.
                return Path.MapItem == MapItemPart.Index ? JNumber.Of(index) : item;
            }

            var root = scope.RootFor(Path);
            if (Path.TryEvaluate(root, out var value))
            {
                return value;
            }

            if (IsIndexPastEnd(Path, root))
            {
                // Jayway over Jackson (AWS's engine) reads an array element past the end as null, so the field is null.
                return JValue.Null;
            }

            throw new StatesException(MissingPathError,
                $"The JSONPath '{Path.Text}' specified for the field '{Field}' could not be found in the input '{Describe(root)}'");
        }

        /// <summary>True when the path ends in an index and everything before it is an array (the index is past its end).</summary>
        private static bool IsIndexPastEnd(JsonPath path, JValue root)
        {
            var segments = path.SegmentArray;
            return segments is [.., PathSegment.Index] && PathEvaluator.TrySelectSingle(root, segments[..^1], out var parent) && parent is JArray;
        }

        private static string Describe(JValue root)
        {
            var text = root.ToJsonString();
            return text.Length <= 1024 ? text : string.Concat(text.AsSpan(0, 1024), "…");
        }
    }

    public sealed record IntrinsicField(string Field, IntrinsicCall Call) : PayloadTemplate
    {
        /// <summary>The call as written, which AWS quotes whole when an argument's path finds nothing.</summary>
        public string? Expression { get; init; }

        public override JValue Evaluate(EvaluationScope scope)
        {
            try
            {
                return IntrinsicEvaluator.Evaluate(Call, scope);
            }
            catch (StatesException e) when (e.Error == StatesErrors.Runtime && !e.IsLocated)
            {
                throw StatesException.Runtime($"The function '{Expression ?? Call.Name}' had the following error: {e.Cause}");
            }
        }
    }

    /// <summary>A <c>{% expression %}</c> string of a JSONata state, <paramref name="Field"/> naming where it is (<c>Output/a/b[0]</c>).</summary>
    public sealed record JsonataField(string Field, JsonataQuery Query) : PayloadTemplate
    {
        public override JValue Evaluate(EvaluationScope scope) => Query.Evaluate(Field, scope);
    }

    public sealed record ObjectTemplate(string[] Keys, PayloadTemplate[] Values) : PayloadTemplate
    {
        public override JValue Evaluate(EvaluationScope scope)
        {
            var properties = new KeyValuePair<string, JValue>[Keys.Length];
            for (var i = 0; i < properties.Length; i++)
            {
                properties[i] = new(Keys[i], Values[i].Evaluate(scope));
            }

            return new JObject(properties);
        }
    }

    public sealed record ArrayTemplate(PayloadTemplate[] Items) : PayloadTemplate
    {
        public override JValue Evaluate(EvaluationScope scope)
        {
            var items = new JValue[Items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = Items[i].Evaluate(scope);
            }

            return new JArray(items);
        }
    }

    /// <summary>
    /// Compiles a template. Problems (a <c>.$</c> field whose value is not a path or a valid
    /// intrinsic call) are reported through <paramref name="report"/> with the field name.
    /// </summary>
    public static PayloadTemplate Compile(JValue template, Action<string, string> report, string missingPathError = StatesErrors.Runtime)
    {
        var compiled = CompileNode(template, report, missingPathError);
        return compiled;
    }

    private static PayloadTemplate CompileNode(JValue node, Action<string, string> report, string missingPathError)
    {
        switch (node)
        {
            case JObject obj:
                var keys = new string[obj.Count];
                var values = new PayloadTemplate[obj.Count];
                var dynamic = false;
                for (var i = 0; i < obj.Count; i++)
                {
                    var (key, value) = (obj[i].Key, obj[i].Value);
                    if (key.EndsWith(".$", StringComparison.Ordinal))
                    {
                        keys[i] = key[..^2];
                        values[i] = CompileDynamic(key, value, report) with { MissingPathError = missingPathError };
                        dynamic = true;
                    }
                    else
                    {
                        keys[i] = key;
                        values[i] = CompileNode(value, report, missingPathError);
                        dynamic |= values[i] is not Constant;
                    }
                }

                if (!dynamic)
                {
                    return new Constant(node);
                }

                return new ObjectTemplate(keys, values) { MissingPathError = missingPathError };
            case JArray array:
                var items = array.Select(item => CompileNode(item, report, missingPathError)).ToArray();
                return Array.TrueForAll(items, i => i is Constant) ? new Constant(node) : new ArrayTemplate(items);
            default:
                return new Constant(node);
        }
    }

    private static PayloadTemplate CompileDynamic(string field, JValue value, Action<string, string> report)
    {
        if (value is not JString text)
        {
            report(field, $"the value of '{field}' must be a string holding a path or an intrinsic function call");
            return new Constant(JValue.Null);
        }

        if (IntrinsicParser.LooksLikeCall(text.Value))
        {
            if (IntrinsicParser.TryParse(text.Value, out var call, out var callError))
            {
                return new IntrinsicField(field, call) { Expression = text.Value };
            }

            report(field, callError);
            return new Constant(JValue.Null);
        }

        if (JsonPath.TryParse(text.Value, out var path, out var pathError))
        {
            return new PathField(field, path);
        }

        report(field, pathError);
        return new Constant(JValue.Null);
    }
}
