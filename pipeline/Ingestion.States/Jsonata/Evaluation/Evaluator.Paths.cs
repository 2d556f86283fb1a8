using Ingestion.States.Jsonata.Ast;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Evaluation;

/// <summary>Location paths: each step maps over the previous step's sequence and flattens the results.</summary>
internal sealed partial class Evaluator
{
    private const string ContextKey = "@";

    private object? EvaluatePath(Node expr, object? input, Frame env)
    {
        // A lone field name read from an object (the commonest path by far) needs no sequences: the step's
        // single result is the field's value, kept whole when it is an array, as the general case gives.
        if (input is JsObject obj && expr.IsSimpleName)
        {
            return obj.TryGetValue(expr.Steps[0].Text, out var value) ? value : null;
        }

        JsArray inputSequence = input is JsArray array && expr.Steps[0].Kind != NodeKind.Variable
            ? array
            : JsArray.Sequence(input);

        object? resultSequence = null;
        var isTupleStream = false;
        JsArray? tupleBindings = null;
        for (var i = 0; i < expr.Steps.Count; i++)
        {
            var step = expr.Steps[i];
            if (step.Tuple)
            {
                isTupleStream = true;
            }

            if (i == 0 && step.ConsArray)
            {
                resultSequence = Evaluate(step, inputSequence, env);
            }
            else if (isTupleStream)
            {
                tupleBindings = EvaluateTupleStep(step, inputSequence, tupleBindings, env);
            }
            else
            {
                resultSequence = EvaluateStep(step, inputSequence, env, i == expr.Steps.Count - 1);
            }

            if (!isTupleStream && (resultSequence is null || resultSequence is JsArray { Count: 0 }))
            {
                break;
            }

            if (step.Focus is null)
            {
                inputSequence = resultSequence as JsArray ?? JsArray.Sequence(resultSequence);
            }
        }

        if (isTupleStream)
        {
            if (expr.Tuple)
            {
                resultSequence = tupleBindings;
            }
            else
            {
                var sequence = JsArray.Sequence();
                if (tupleBindings is not null)
                {
                    foreach (var tuple in tupleBindings)
                    {
                        sequence.Add(((JsObject)tuple!)[ContextKey]);
                    }
                }

                resultSequence = sequence;
            }
        }

        if (expr.KeepSingletonArray)
        {
            if (resultSequence is JsArray { Cons: true, IsSequence: false } cons)
            {
                resultSequence = JsArray.Sequence(cons);
            }

            if (resultSequence is JsArray kept)
            {
                kept.KeepSingleton = true;
            }
        }

        if (expr.Group is { } group)
        {
            resultSequence = Group(group, isTupleStream ? tupleBindings : resultSequence, env);
        }

        return resultSequence;
    }

    private JsArray EvaluateStep(Node step, JsArray input, Frame env, bool lastStep)
    {
        if (step.Kind == NodeKind.Sort)
        {
            var sorted = SortSequence(step, input, env);
            return step.Stages is null ? sorted : EvaluateStages(step.Stages, sorted, env);
        }

        var result = JsArray.Sequence();
        foreach (var item in input)
        {
            var value = Evaluate(step, item, env);
            if (step.Stages is { } stages)
            {
                foreach (var stage in stages)
                {
                    value = Filter(stage.Filter!, value, env);
                }
            }

            if (value is not null)
            {
                result.Add(value);
            }
        }

        if (lastStep && result.Count == 1 && result[0] is JsArray { IsSequence: false } single)
        {
            return single;
        }

        var flattened = JsArray.Sequence();
        foreach (var value in result)
        {
            if (value is JsArray { Cons: false } array)
            {
                flattened.AddRange(array);
            }
            else
            {
                flattened.Add(value);
            }
        }

        return flattened;
    }

    private JsArray EvaluateStages(List<Stage> stages, JsArray input, Frame env)
    {
        var result = input;
        foreach (var stage in stages)
        {
            if (stage.Filter is not null)
            {
                result = Filter(stage.Filter, result, env);
            }
            else
            {
                for (var i = 0; i < result.Count; i++)
                {
                    ((JsObject)result[i]!).Set(stage.IndexVariable!, (double)i);
                }
            }
        }

        return result;
    }

    private JsArray EvaluateTupleStep(Node step, JsArray input, JsArray? tupleBindings, Frame env)
    {
        JsArray result;
        if (step.Kind == NodeKind.Sort)
        {
            if (tupleBindings is not null)
            {
                result = SortSequence(step, tupleBindings, env);
            }
            else
            {
                var sorted = SortSequence(step, input, env);
                result = JsArray.Sequence();
                result.TupleStream = true;
                for (var i = 0; i < sorted.Count; i++)
                {
                    var tuple = new JsObject { [ContextKey] = sorted[i] };
                    if (step.IndexVariable is not null)
                    {
                        tuple[step.IndexVariable] = (double)i;
                    }

                    result.Add(tuple);
                }
            }

            return step.Stages is null ? result : EvaluateStages(step.Stages, result, env);
        }

        result = JsArray.Sequence();
        result.TupleStream = true;
        if (tupleBindings is null)
        {
            tupleBindings = new JsArray(input.Count);
            foreach (var item in input)
            {
                tupleBindings.Add(new JsObject { [ContextKey] = item });
            }
        }

        foreach (var binding in tupleBindings)
        {
            var tuple = (JsObject)binding!;
            var stepEnv = FrameFromTuple(env, tuple);
            var value = Evaluate(step, tuple[ContextKey], stepEnv);
            if (value is null)
            {
                continue;
            }

            var values = value as JsArray ?? [value];
            for (var b = 0; b < values.Count; b++)
            {
                var next = new JsObject(tuple.Count + 2);
                foreach (var (k, v) in tuple)
                {
                    next[k] = v;
                }

                if (values.TupleStream)
                {
                    foreach (var (k, v) in (JsObject)values[b]!)
                    {
                        next[k] = v;
                    }
                }
                else if (step.Focus is not null)
                {
                    next[step.Focus] = values[b];
                    next[ContextKey] = tuple[ContextKey];
                }
                else
                {
                    next[ContextKey] = values[b];
                }

                if (step.IndexVariable is not null)
                {
                    next[step.IndexVariable] = (double)b;
                }

                if (step.Ancestor is not null)
                {
                    next[step.Ancestor.Label] = tuple[ContextKey];
                }

                result.Add(next);
            }
        }

        return step.Stages is null ? result : EvaluateStages(step.Stages, result, env);
    }

    private static Frame FrameFromTuple(Frame env, JsObject tuple)
    {
        var frame = new Frame(env);
        foreach (var (key, value) in tuple)
        {
            frame.Bind(key, value);
        }

        return frame;
    }

    private JsArray Filter(Node predicate, object? input, Frame env)
    {
        var results = JsArray.Sequence();
        var inputArray = input as JsArray ?? JsArray.Sequence(input);
        if (inputArray.TupleStream)
        {
            results.TupleStream = true;
        }

        if (predicate.Kind == NodeKind.Number)
        {
            var index = (int)Math.Floor(predicate.Number);
            if (index < 0)
            {
                index += inputArray.Count;
            }

            if (index >= 0 && index < inputArray.Count)
            {
                var item = inputArray[index];
                if (item is null)
                {
                    return results;
                }

                if (item is JsArray itemArray)
                {
                    return itemArray;
                }

                results.Add(item);
            }

            return results;
        }

        for (var index = 0; index < inputArray.Count; index++)
        {
            var item = inputArray[index];
            var context = item;
            var itemEnv = env;
            if (inputArray.TupleStream)
            {
                var tuple = (JsObject)item!;
                context = tuple[ContextKey];
                itemEnv = FrameFromTuple(env, tuple);
            }

            var res = Evaluate(predicate, context, itemEnv);
            if (JsValues.IsNumeric(res))
            {
                res = JsArray.Sequence(res);
            }

            if (JsValues.IsArrayOfNumbers(res) && ((JsArray)res!).Count > 0)
            {
                foreach (var n in (JsArray)res!)
                {
                    var ii = (int)Math.Floor((double)n!);
                    if (ii < 0)
                    {
                        ii += inputArray.Count;
                    }

                    if (ii == index)
                    {
                        results.Add(item);
                    }
                }
            }
            else if (JsValues.Truthy(res))
            {
                results.Add(item);
            }
        }

        return results;
    }
}
