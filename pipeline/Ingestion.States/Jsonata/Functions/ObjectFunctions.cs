using Ingestion.States.Jsonata.Evaluation;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>Object built-ins, type inspection and errors raised on purpose.</summary>
internal static class ObjectFunctions
{
    public static object? Keys(object?[] a) => Keys(a[0]);

    private static JsArray Keys(object? arg)
    {
        var result = JsArray.Sequence();
        if (arg is JsArray array)
        {
            var merged = new JsObject();
            foreach (var item in array)
            {
                foreach (var key in Keys(item))
                {
                    merged[(string)key!] = true;
                }
            }

            return Keys(merged);
        }

        if (arg is JsObject obj)
        {
            foreach (var (key, _) in obj)
            {
                result.Add(key);
            }
        }

        return result;
    }

    public static object? Lookup(object?[] a) => a[1] is string key ? LookupIn(a[0], key) : null;

    private static object? LookupIn(object? input, string key)
    {
        if (input is JsArray array)
        {
            var result = JsArray.Sequence();
            foreach (var item in array)
            {
                var value = LookupIn(item, key);
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

    public static object? Spread(object?[] a) => Spread(a[0]);

    private static object? Spread(object? arg)
    {
        if (arg is JsArray array)
        {
            object? result = JsArray.Sequence();
            foreach (var item in array)
            {
                result = JsValues.Append(result, Spread(item));
            }

            return result;
        }

        if (arg is JsObject obj)
        {
            var result = JsArray.Sequence();
            foreach (var (key, value) in obj)
            {
                result.Add(new JsObject { [key] = value });
            }

            return result;
        }

        return arg;
    }

    public static object? Merge(object?[] a)
    {
        if (a[0] is not JsArray array)
        {
            return null;
        }

        var result = new JsObject();
        foreach (var item in array)
        {
            foreach (var (key, value) in (JsObject)item!)
            {
                result[key] = value;
            }
        }

        return result;
    }

    public static object? Type(object?[] a) => a[0] is null ? null : JsValues.TypeName(a[0]);

    public static object? Error(object?[] a) =>
        throw JsonataErrors.Create("D3137", a.Length > 0 && a[0] is string message ? message : "$error() function evaluated");

    public static object? Assert(object?[] a)
    {
        if (a[0] is not true)
        {
            throw JsonataErrors.Create("D3141", a.Length > 1 && a[1] is string message ? message : "$assert() statement failed");
        }

        return null;
    }

    public static object? Clone(object?[] a) => DeepCopy(a[0]);

    public static object? DeepCopy(object? value) => value switch
    {
        JsArray array => new JsArray(array.Select(DeepCopy)),
        JsObject obj => CopyObject(obj),
        _ => value,
    };

    private static JsObject CopyObject(JsObject obj)
    {
        var copy = new JsObject(obj.Count);
        foreach (var (key, value) in obj)
        {
            if (value is not null and not JsFunction)
            {
                copy[key] = DeepCopy(value);
            }
        }

        return copy;
    }
}
