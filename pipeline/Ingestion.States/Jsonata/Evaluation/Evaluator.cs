using System.Runtime.CompilerServices;
using Ingestion.States.Jsonata.Ast;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Evaluation;

/// <summary>Walks a built tree over a value. One instance per evaluation: it holds the clock and the limits.</summary>
internal sealed partial class Evaluator
{
    private readonly int _maxDepth;
    private readonly long _deadline;
    private int _depth;
    private int _ticks;

    public Evaluator(DateTimeOffset now, int maxDepth, TimeSpan? timeLimit)
    {
        Now = now;
        _maxDepth = maxDepth;
        _deadline = timeLimit is { } limit ? Environment.TickCount64 + (long)limit.TotalMilliseconds : long.MaxValue;
    }

    /// <summary>The instant $now and $millis report: fixed for the whole evaluation.</summary>
    public DateTimeOffset Now { get; }

    public object? Evaluate(Node expr, object? input, Frame env)
    {
        Enter();
        try
        {
            var result = Dispatch(expr, input, env);
            if (expr.Predicates is { } predicates)
            {
                foreach (var stage in predicates)
                {
                    result = Filter(stage.Filter!, result, env);
                }
            }

            if (expr.Kind != NodeKind.Path && expr.Group is { } group)
            {
                result = Group(group, result, env);
            }

            if (result is JsArray { IsSequence: true, TupleStream: false } sequence)
            {
                if (expr.KeepArray)
                {
                    sequence.KeepSingleton = true;
                }

                if (sequence.Count == 0)
                {
                    return null;
                }

                if (sequence.Count == 1 && !sequence.KeepSingleton)
                {
                    return sequence[0];
                }
            }

            return result;
        }
        finally
        {
            _depth--;
        }
    }

    private void Enter()
    {
        _depth++;
        if (_depth > _maxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw JsonataErrors.Create("U1001", "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.");
        }

        if ((++_ticks & 0xFF) == 0 && Environment.TickCount64 > _deadline)
        {
            throw JsonataErrors.Create("U1001", "Expression evaluation timeout: Check for infinite loop");
        }
    }

    private object? Dispatch(Node expr, object? input, Frame env)
    {
        switch (expr.Kind)
        {
            case NodeKind.Path:
                return EvaluatePath(expr, input, env);
            case NodeKind.Binary:
                return EvaluateBinary(expr, input, env);
            case NodeKind.Negate:
                return Negate(expr, input, env);
            case NodeKind.ArrayConstructor:
                return ConstructArray(expr, input, env);
            case NodeKind.ObjectConstructor:
                return Group(new GroupSpec(expr.Pairs, expr.Position), input, env);
            case NodeKind.Name:
                return Lookup(input, expr.Text);
            case NodeKind.String:
                return expr.Text;
            case NodeKind.Number:
                return expr.Number;
            case NodeKind.Value:
                return expr.Literal;
            case NodeKind.Wildcard:
                return Wildcard(input);
            case NodeKind.Descendant:
                return Descendants(input);
            case NodeKind.Parent:
                return env.Lookup(expr.Slot!.Label);
            case NodeKind.Condition:
                if (JsValues.Truthy(Evaluate(expr.Condition!, input, env)))
                {
                    return Evaluate(expr.Then!, input, env);
                }

                return expr.Else is null ? null : Evaluate(expr.Else, input, env);
            case NodeKind.Block:
                return EvaluateBlock(expr, input, env);
            case NodeKind.Bind:
                var value = Evaluate(expr.Rhs!, input, env);
                env.Bind(expr.Lhs!.Text, value);
                return value;
            case NodeKind.Regex:
                return new RegexFunction(expr.Pattern!);
            case NodeKind.FunctionCall:
                return CallFunction(expr, input, env, hasApplyTo: false, applyTo: null);
            case NodeKind.PartialCall:
                return PartiallyApply(expr, input, env);
            case NodeKind.Lambda:
                return new Lambda(expr, expr.Arguments, input, env);
            case NodeKind.Variable:
                if (expr.Text.Length == 0)
                {
                    return input is JsArray { OuterWrapper: true } wrapper ? wrapper[0] : input;
                }

                return env.Lookup(expr.Text);
            case NodeKind.Apply:
                return EvaluateApply(expr, input, env);
            case NodeKind.Transform:
                return MakeTransformer(expr, env);
            default:
                throw JsonataErrors.Create("S0201", $"Unexpected node {expr.Kind}", expr.Position);
        }
    }

    private object? EvaluateBlock(Node expr, object? input, Frame env)
    {
        var scope = new Frame(env);
        object? result = null;
        foreach (var item in expr.Items)
        {
            result = Evaluate(item, input, scope);
        }

        return result;
    }

    private JsArray ConstructArray(Node expr, object? input, Frame env)
    {
        var result = new JsArray(expr.Items.Count);
        foreach (var item in expr.Items)
        {
            var value = Evaluate(item, input, env);
            if (value is null)
            {
                continue;
            }

            if (item.Kind == NodeKind.ArrayConstructor)
            {
                result.Add(value);
            }
            else if (value is JsArray array)
            {
                result.AddRange(array);
            }
            else
            {
                result.Add(value);
            }
        }

        if (expr.ConsArray)
        {
            result.Cons = true;
        }

        return result;
    }

    private static object? Lookup(object? input, string key)
    {
        if (input is JsArray array)
        {
            var result = JsArray.Sequence();
            foreach (var item in array)
            {
                var value = Lookup(item, key);
                if (value is JsArray inner)
                {
                    result.AddRange(inner);
                }
                else if (value is not null)
                {
                    result.Add(value);
                }
            }

            return result;
        }

        return input is JsObject obj && obj.TryGetValue(key, out var found) ? found : null;
    }

    private static JsArray Wildcard(object? input)
    {
        var results = JsArray.Sequence();
        if (input is JsArray { OuterWrapper: true, Count: > 0 } wrapper)
        {
            input = wrapper[0];
        }

        // An array is an object to jsonata-js here: its values are its items.
        IEnumerable<object?>? values = input switch
        {
            JsObject obj => obj.Values,
            JsArray items => items,
            _ => null,
        };
        if (values is not null)
        {
            foreach (var value in values)
            {
                if (value is JsArray array)
                {
                    // Appending an array yields a plain array, which a lone result then keeps (as jsonata-js does).
                    var appended = new JsArray(results.Count + array.Count);
                    appended.AddRange(results);
                    JsValues.Flatten(array, appended);
                    results = appended;
                }
                else
                {
                    results.Add(value);
                }
            }
        }

        return results;
    }

    private static object? Descendants(object? input)
    {
        if (input is null)
        {
            return null;
        }

        var results = JsArray.Sequence();
        CollectDescendants(input, results);
        return results.Count == 1 ? results[0] : results;
    }

    private static void CollectDescendants(object? input, JsArray results)
    {
        if (input is JsArray array)
        {
            foreach (var item in array)
            {
                CollectDescendants(item, results);
            }

            return;
        }

        results.Add(input);
        if (input is JsObject obj)
        {
            foreach (var (_, value) in obj)
            {
                CollectDescendants(value, results);
            }
        }
    }
}
