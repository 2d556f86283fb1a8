using System.Diagnostics.CodeAnalysis;
using Ingestion.States.Json;
using Ingestion.States.Jsonata.Ast;
using Ingestion.States.Jsonata.Evaluation;
using Ingestion.States.Jsonata.Functions;
using Ingestion.States.Jsonata.Parsing;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata;

/// <summary>A compiled JSONata 2.0.6 expression: parse once, evaluate many times, from any thread.</summary>
public sealed class JsonataExpression
{
    private readonly Node _root;

    private JsonataExpression(string source, Node root)
    {
        Source = source;
        _root = root;
    }

    public string Source { get; }

    /// <summary>Parses an expression; a syntax error throws <see cref="JsonataException"/> with an S0xxx code.</summary>
    public static JsonataExpression Parse(string expression) => new(expression, Parser.Parse(expression));

    /// <summary>Parses an expression, or gives the syntax error (code, position, token) without throwing.</summary>
    /// <remarks>The recursive-descent parser unwinds on the first error by exception; only that exception is caught here.</remarks>
    public static bool TryParse(string expression, [NotNullWhen(true)] out JsonataExpression? result, [NotNullWhen(false)] out JsonataException? error)
    {
        try
        {
            result = Parse(expression);
            error = null;
            return true;
        }
        catch (JsonataException e)
        {
            result = null;
            error = e;
            return false;
        }
    }

    /// <summary>Evaluates against an input (null for none); returns null when the result is undefined.</summary>
    public JValue? Evaluate(JValue? input, IReadOnlyDictionary<string, JValue>? bindings = null, JsonataOptions? options = null) =>
        JsonConversion.ToJson(EvaluateValue(JsonConversion.FromJson(input), bindings?.ToDictionary(b => b.Key, b => JsonConversion.FromJson(b.Value)), options));

    /// <summary>Evaluates on the evaluator's own value model (see <see cref="JsonConversion"/>).</summary>
    internal object? EvaluateValue(object? input, IReadOnlyDictionary<string, object?>? bindings, JsonataOptions? options) =>
        EvaluateValue(input, bindings, options, Builtins.Root);

    /// <summary>Evaluates with a function library of the host's (Step Functions' additions over the built-ins).</summary>
    internal object? EvaluateValue(object? input, IReadOnlyDictionary<string, object?>? bindings, JsonataOptions? options, Frame functions)
    {
        options ??= JsonataOptions.Default;
        var env = new Frame(functions);
        if (input is JsArray { IsSequence: false } array)
        {
            input = new JsArray { array };
            ((JsArray)input).IsSequence = true;
            ((JsArray)input).OuterWrapper = true;
        }

        env.Bind("$", input);
        if (bindings is not null)
        {
            foreach (var (name, value) in bindings)
            {
                env.Bind(name, value);
            }
        }

        var evaluator = new Evaluator(options.Now ?? DateTimeOffset.UtcNow, options.MaxDepth, options.TimeLimit);
        var result = evaluator.Evaluate(_root, input, env);
        if (result is JsArray { IsSequence: true } sequence)
        {
            // A sequence leaves the evaluator as a plain array.
            result = new JsArray(sequence);
        }

        return result;
    }
}
