using System.Text.RegularExpressions;
using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Jsonata;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Templates;

/// <summary>
/// One JSONata expression of a state, parsed once, evaluated with <c>$states</c>, the workflow variables and Step
/// Functions' functions; failures are States.QueryEvaluationError in AWS's words.
/// </summary>
internal sealed partial class JsonataQuery
{
    private readonly JsonataExpression _expression;
    private readonly string[] _variables;
    private readonly bool _readsContext;

    private JsonataQuery(string text, JsonataExpression expression)
    {
        Text = text;
        _expression = expression;
        // Only what the text can name is converted for each evaluation: the variables it mentions, and the context
        // object when it says "context" at all (a superset, never a miss).
        _variables = [.. VariableMention().Matches(text).Select(m => m.Groups[1].Value).Where(n => n != "states").Distinct(StringComparer.Ordinal)];
        _readsContext = text.Contains("context", StringComparison.Ordinal);
        ReadsResult = StatesMember(text, "result");
        ReadsErrorOutput = StatesMember(text, "errorOutput");
    }

    /// <summary>The expression between the <c>{%</c> and <c>%}</c>, as AWS quotes it in errors.</summary>
    public string Text { get; }

    public bool ReadsResult { get; }

    public bool ReadsErrorOutput { get; }

    /// <summary>Whether a string is a JSONata expression: exactly <c>{%</c> … <c>%}</c>, nothing before or after.</summary>
    public static bool IsExpression(string value) =>
        value.Length >= 4 && value.StartsWith("{%", StringComparison.Ordinal) && value.EndsWith("%}", StringComparison.Ordinal);

    /// <summary>Parses the expression of a <c>{% … %}</c> string, or gives why it cannot be.</summary>
    public static bool TryParse(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JsonataQuery? query, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        var text = value[2..^2].Trim();
        if (JsonataExpression.TryParse(text, out var expression, out var syntax))
        {
            query = new JsonataQuery(text, expression);
            error = null;
            return true;
        }

        query = null;
        error = $"the JSONata expression '{text}' is invalid: {syntax.Message}";
        return false;
    }

    public JValue Evaluate(string field, EvaluationScope scope) =>
        EvaluateOrUndefined(field, scope) ?? throw Failure(field, "returned nothing (undefined).");

    /// <summary>Evaluates; null when the expression gives nothing (which most fields refuse).</summary>
    public JValue? EvaluateOrUndefined(string field, EvaluationScope scope)
    {
        var bindings = new Dictionary<string, object?>(_variables.Length + 1, StringComparer.Ordinal)
        {
            ["states"] = States(scope),
        };
        if (_variables.Length > 0 && scope.Context?.Variables is { } variables)
        {
            foreach (var name in _variables)
            {
                if (variables.TryGet(name, out var value))
                {
                    bindings[name] = JsonConversion.FromJson(value);
                }
            }
        }

        try
        {
            var options = scope.Context?.Now is { } now ? new JsonataOptions { Now = now } : null;
            return JsonConversion.ToJson(_expression.EvaluateValue(null, bindings, options, StatesFunctions.For(scope.Random)));
        }
        catch (JsonataException e)
        {
            throw Failure(field, $"threw an error during evaluation. {e.Message}");
        }
    }

    /// <summary>AWS's cause for an expression whose value a field cannot take.</summary>
    public StatesException WrongType(string field, string expected, JValue value) =>
        Failure(field, $"returned an unexpected result type. Expected '{expected}', but was '{TypeName(value)}' for value: {value.ToJsonString()}");

    public StatesException Failure(string field, string what) =>
        new(StatesErrors.QueryEvaluationError, $"The JSONata expression '{Text}' specified for the field '{field}' {what}") { Location = field };

    private JsObject States(EvaluationScope scope)
    {
        var states = new JsObject(4) { ["input"] = JsonConversion.FromJson(scope.Input) };
        if (scope.Result is { } result)
        {
            states["result"] = JsonConversion.FromJson(result);
        }

        if (scope.ErrorOutput is { } error)
        {
            states["errorOutput"] = JsonConversion.FromJson(error);
        }

        if (_readsContext && scope.Context is { } context)
        {
            states["context"] = JsonConversion.FromJson(context.Value);
        }

        return states;
    }

    private static string TypeName(JValue value) => value switch
    {
        JString => "string",
        JNumber => "number",
        JBool => "boolean",
        JArray => "array",
        JNull => "null",
        _ => "object",
    };

    private static bool StatesMember(string text, string member) =>
        Regex.IsMatch(text, $@"\$states\s*\.\s*{member}\b", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"\$([\p{L}_][\p{L}\p{Nd}_]*)", RegexOptions.CultureInvariant)]
    private static partial Regex VariableMention();
}
