using Ingestion.States.Jsonata.Evaluation;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>$map, $filter, $single, $reduce, $sift, $each: callbacks receive as many of (value, index, collection) as they declare.</summary>
internal static class HigherOrderFunctions
{
    private static object?[] CallbackArgs(JsFunction function, object? value, object? index, object? collection)
    {
        var arity = function.Arity;
        return arity >= 3 ? [value, index, collection] : arity == 2 ? [value, index] : [value];
    }

    public static object? Map(Evaluator evaluator, object?[] a)
    {
        if (a[0] is not JsArray array)
        {
            return null;
        }

        var function = (JsFunction)a[1]!;
        var result = JsArray.Sequence();
        for (var i = 0; i < array.Count; i++)
        {
            var value = evaluator.Apply(function, CallbackArgs(function, array[i], (double)i, array), null);
            if (value is not null)
            {
                result.Add(value);
            }
        }

        return result;
    }

    public static object? Filter(Evaluator evaluator, object?[] a)
    {
        if (a[0] is not JsArray array)
        {
            return null;
        }

        var function = (JsFunction)a[1]!;
        var result = JsArray.Sequence();
        for (var i = 0; i < array.Count; i++)
        {
            if (JsValues.Truthy(evaluator.Apply(function, CallbackArgs(function, array[i], (double)i, array), null)))
            {
                result.Add(array[i]);
            }
        }

        return result;
    }

    public static object? Single(Evaluator evaluator, object?[] a)
    {
        if (a[0] is not JsArray array)
        {
            return null;
        }

        var function = a.Length > 1 ? a[1] as JsFunction : null;
        var found = false;
        object? result = null;
        for (var i = 0; i < array.Count; i++)
        {
            var matches = function is null
                || JsValues.Truthy(evaluator.Apply(function, CallbackArgs(function, array[i], (double)i, array), null));
            if (!matches)
            {
                continue;
            }

            if (found)
            {
                throw JsonataErrors.Create("D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more.");
            }

            result = array[i];
            found = true;
        }

        if (!found)
        {
            throw JsonataErrors.Create("D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0.");
        }

        return result;
    }

    public static object? Reduce(Evaluator evaluator, object?[] a)
    {
        if (a[0] is not JsArray array)
        {
            return null;
        }

        var function = (JsFunction)a[1]!;
        var arity = function.Arity;
        if (arity < 2)
        {
            throw JsonataErrors.Create("D3050", "The second argument of reduce function must be a function with at least two arguments");
        }

        var init = a.Length > 2 ? a[2] : null;
        object? result;
        int index;
        if (init is null && array.Count > 0)
        {
            result = array[0];
            index = 1;
        }
        else
        {
            result = init;
            index = 0;
        }

        for (; index < array.Count; index++)
        {
            object?[] args = arity >= 4 ? [result, array[index], (double)index, array]
                : arity == 3 ? [result, array[index], (double)index]
                : [result, array[index]];
            result = evaluator.Apply(function, args, null);
        }

        return result;
    }

    public static object? Sift(Evaluator evaluator, object?[] a)
    {
        if (a[0] is not JsObject obj)
        {
            return null;
        }

        var function = (JsFunction)a[1]!;
        var result = new JsObject();
        foreach (var (key, value) in obj)
        {
            if (JsValues.Truthy(evaluator.Apply(function, CallbackArgs(function, value, key, obj), null)))
            {
                result[key] = value;
            }
        }

        return result.Count == 0 ? null : result;
    }

    public static object? Each(Evaluator evaluator, object?[] a)
    {
        if (a[0] is not JsObject obj)
        {
            return null;
        }

        var function = (JsFunction)a[1]!;
        var result = JsArray.Sequence();
        foreach (var (key, value) in obj)
        {
            var res = evaluator.Apply(function, CallbackArgs(function, value, key, obj), null);
            if (res is not null)
            {
                result.Add(res);
            }
        }

        return result;
    }
}
