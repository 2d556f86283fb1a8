using Ingestion.States.Jsonata.Evaluation;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>Array built-ins.</summary>
internal static class ArrayFunctions
{
    public static object? Count(object?[] a) => a[0] is JsArray array ? (double)array.Count : 0.0;

    public static object? Append(object?[] a) => JsValues.Append(a[0], a[1]);

    public static object? Reverse(object?[] a)
    {
        if (a[0] is not JsArray array)
        {
            return null;
        }

        if (array.Count <= 1)
        {
            return array;
        }

        var result = new JsArray(array);
        result.Reverse();
        return result;
    }

    public static object? Shuffle(object?[] a)
    {
        if (a[0] is not JsArray array)
        {
            return null;
        }

        if (array.Count <= 1)
        {
            return array;
        }

        var items = array.ToArray();
        System.Random.Shared.Shuffle(items);
        return new JsArray(items);
    }

    public static object? Distinct(object?[] a)
    {
        if (a[0] is not JsArray array || array.Count <= 1)
        {
            return a[0];
        }

        var result = array.IsSequence ? JsArray.Sequence() : new JsArray();
        foreach (var item in array)
        {
            if (!result.Any(existing => JsValues.DeepEquals(existing, item)))
            {
                result.Add(item);
            }
        }

        return result;
    }

    public static object? Zip(object?[] a)
    {
        var result = new JsArray();
        if (a.Length == 0)
        {
            return result;
        }

        var length = int.MaxValue;
        foreach (var arg in a)
        {
            length = Math.Min(length, arg is JsArray array ? array.Count : 0);
        }

        for (var i = 0; i < length; i++)
        {
            var tuple = new JsArray(a.Length);
            foreach (var arg in a)
            {
                tuple.Add(((JsArray)arg!)[i]);
            }

            result.Add(tuple);
        }

        return result;
    }

    public static object? Sort(Evaluator evaluator, object?[] a)
    {
        if (a[0] is not JsArray array)
        {
            return null;
        }

        if (array.Count <= 1)
        {
            return array;
        }

        Func<object?, object?, bool> greater;
        if (a.Length > 1 && a[1] is JsFunction comparator)
        {
            greater = (x, y) => JsValues.Truthy(evaluator.Apply(comparator, [x, y], null));
        }
        else
        {
            if (array.All(v => v is double))
            {
                greater = (x, y) => (double)x! > (double)y!;
            }
            else if (array.All(v => v is string))
            {
                greater = (x, y) => string.CompareOrdinal((string)x!, (string)y!) > 0;
            }
            else
            {
                throw JsonataErrors.Create("D3070", "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function");
            }
        }

        return MergeSort.Sort(array, greater);
    }
}
