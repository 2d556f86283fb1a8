using Ingestion.States.Jsonata.Ast;
using Ingestion.States.Jsonata.Functions;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Evaluation;

/// <summary>Object constructors and group-by (the same operation), and order-by.</summary>
internal sealed partial class Evaluator
{
    private JsObject Group(GroupSpec spec, object? input, Frame env)
    {
        var result = new JsObject();
        var groups = new OrderedDictionary<string, (object? Data, int PairIndex)>(StringComparer.Ordinal);
        var reduce = input is JsArray { TupleStream: true };
        var items = input as JsArray ?? JsArray.Sequence(input);
        if (items.Count == 0)
        {
            items = [null];
        }

        foreach (var item in items)
        {
            // An empty tuple stream still evaluates the keys once, with no context and no extra bindings.
            var tuple = reduce ? item as JsObject : null;
            var itemEnv = tuple is null ? env : FrameFromTuple(env, tuple);
            var context = reduce ? tuple?.GetValueOrDefault(ContextKey) : item;
            for (var pairIndex = 0; pairIndex < spec.Pairs.Count; pairIndex++)
            {
                var key = Evaluate(spec.Pairs[pairIndex].Key, context, itemEnv);
                if (key is null)
                {
                    continue;
                }

                if (key is not string name)
                {
                    throw JsonataErrors.Create("T1003", $"Key in object structure must evaluate to a string; got: {StringFunctions.Stringify(key)}", spec.Position);
                }

                if (groups.TryGetValue(name, out var existing))
                {
                    if (existing.PairIndex != pairIndex)
                    {
                        throw JsonataErrors.Create("D1009", $"Multiple key definitions evaluate to same key: \"{name}\"", spec.Position);
                    }

                    groups[name] = (JsValues.Append(existing.Data, item), pairIndex);
                }
                else
                {
                    groups[name] = (item, pairIndex);
                }
            }
        }

        foreach (var (key, entry) in groups)
        {
            var context = entry.Data;
            var groupEnv = env;
            if (reduce)
            {
                var tuple = ReduceTupleStream(entry.Data);
                context = tuple.GetValueOrDefault(ContextKey);
                tuple.Remove(ContextKey);
                groupEnv = FrameFromTuple(env, tuple);
            }

            var value = Evaluate(spec.Pairs[entry.PairIndex].Value, context, groupEnv);
            if (value is not null)
            {
                result[key] = value;
            }
        }

        return result;
    }

    private static JsObject ReduceTupleStream(object? stream)
    {
        if (stream is not JsArray tuples)
        {
            var copy = new JsObject();
            foreach (var (k, v) in stream as JsObject ?? [])
            {
                copy[k] = v;
            }

            return copy;
        }

        var result = new JsObject();
        foreach (var (k, v) in (JsObject)tuples[0]!)
        {
            result[k] = v;
        }

        for (var i = 1; i < tuples.Count; i++)
        {
            foreach (var (k, v) in (JsObject)tuples[i]!)
            {
                result[k] = JsValues.Append(result.TryGetValue(k, out var existing) ? existing : null, v);
            }
        }

        return result;
    }

    private JsArray SortSequence(Node sort, JsArray input, Frame env)
    {
        var isTupleSort = input.TupleStream;
        bool Greater(object? a, object? b)
        {
            var comparison = 0;
            for (var i = 0; comparison == 0 && i < sort.Terms.Count; i++)
            {
                var term = sort.Terms[i];
                var aa = isTupleSort
                    ? Evaluate(term.Expression, ((JsObject)a!)[ContextKey], FrameFromTuple(env, (JsObject)a!))
                    : Evaluate(term.Expression, a, env);
                var bb = isTupleSort
                    ? Evaluate(term.Expression, ((JsObject)b!)[ContextKey], FrameFromTuple(env, (JsObject)b!))
                    : Evaluate(term.Expression, b, env);
                comparison = CompareSortKeys(aa, bb, sort.Position);
                if (term.Descending)
                {
                    comparison = -comparison;
                }
            }

            return comparison == 1;
        }

        var sorted = MergeSort.Sort(input, Greater);
        sorted.IsSequence = true;
        sorted.TupleStream = isTupleSort;
        return sorted;
    }

    private static int CompareSortKeys(object? a, object? b, int position)
    {
        if (a is null)
        {
            return b is null ? 0 : 1;
        }

        if (b is null)
        {
            return -1;
        }

        if (a is not (double or string) || b is not (double or string))
        {
            throw JsonataErrors.Create("T2008", "The expressions within an order-by clause must evaluate to numeric or string values", position);
        }

        if (a is double da && b is double db)
        {
            return da == db ? 0 : da < db ? -1 : 1;
        }

        if (a is string sa && b is string sb)
        {
            var c = string.CompareOrdinal(sa, sb);
            return c == 0 ? 0 : c < 0 ? -1 : 1;
        }

        throw JsonataErrors.Create("T2007", $"Type mismatch when comparing values {StringFunctions.Stringify(a)} and {StringFunctions.Stringify(b)} in order-by clause", position);
    }
}
