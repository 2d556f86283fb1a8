using Ingestion.States.Jsonata.Evaluation;

namespace Ingestion.States.Jsonata.Values;

/// <summary>JSONata's rules on values: truthiness, equality, type names, sequence appending.</summary>
internal static class JsValues
{
    /// <summary>A number that is not NaN; an infinite number is an error wherever one is tested (D1001).</summary>
    public static bool IsNumeric(object? value)
    {
        if (value is not double d || double.IsNaN(d))
        {
            return false;
        }

        if (double.IsInfinity(d))
        {
            throw JsonataErrors.Create("D1001", $"Number out of range: {Text.NumberText.Format(d)}");
        }

        return true;
    }

    public static bool IsArrayOfNumbers(object? value)
    {
        if (value is not JsArray array)
        {
            return false;
        }

        foreach (var item in array)
        {
            if (item is not double)
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsArrayOfStrings(object? value)
    {
        if (value is not JsArray array)
        {
            return false;
        }

        foreach (var item in array)
        {
            if (item is not string)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>$boolean: null when there is no value.</summary>
    public static bool? Boolean(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case JsArray array:
                if (array.Count == 1)
                {
                    return Boolean(array[0]);
                }

                foreach (var item in array)
                {
                    if (Boolean(item) == true)
                    {
                        return true;
                    }
                }

                return false;
            case string s:
                return s.Length > 0;
            case double d:
                return d != 0 && !double.IsNaN(d);
            case bool b:
                return b;
            case JsObject o:
                return o.Count > 0;
            default:
                return false;
        }
    }

    public static bool Truthy(object? value) => Boolean(value) == true;

    public static bool DeepEquals(object? a, object? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        switch (a)
        {
            case double da when b is double db:
                return da == db;
            case string sa when b is string sb:
                return string.Equals(sa, sb, StringComparison.Ordinal);
            case bool ba when b is bool bb:
                return ba == bb;
            case JsArray aa when b is JsArray ab:
                if (aa.Count != ab.Count)
                {
                    return false;
                }

                for (var i = 0; i < aa.Count; i++)
                {
                    if (!DeepEquals(aa[i], ab[i]))
                    {
                        return false;
                    }
                }

                return true;
            case JsObject oa when b is JsObject ob:
                if (oa.Count != ob.Count)
                {
                    return false;
                }

                foreach (var (key, value) in oa)
                {
                    if (!ob.TryGetValue(key, out var other) || !DeepEquals(value, other))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>The one-letter type symbol signatures are matched against.</summary>
    public static char Symbol(object? value) => value switch
    {
        null => 'm',
        JsFunction => 'f',
        string => 's',
        double => 'n',
        bool => 'b',
        JsNull => 'l',
        JsArray => 'a',
        _ => 'o',
    };

    public static string TypeName(object? value) => value switch
    {
        null => "undefined",
        JsFunction => "function",
        string => "string",
        double => "number",
        bool => "boolean",
        JsNull => "null",
        JsArray => "array",
        _ => "object",
    };

    /// <summary>$append: a plain (non-sequence) array of both, or either one when the other is missing.</summary>
    public static object? Append(object? first, object? second)
    {
        if (first is null)
        {
            return second;
        }

        if (second is null)
        {
            return first;
        }

        var result = new JsArray();
        if (first is JsArray a)
        {
            result.AddRange(a);
        }
        else
        {
            result.Add(first);
        }

        if (second is JsArray b)
        {
            result.AddRange(b);
        }
        else
        {
            result.Add(second);
        }

        return result;
    }

    public static JsArray Flatten(object? value, JsArray? into = null)
    {
        into ??= [];
        if (value is JsArray array)
        {
            foreach (var item in array)
            {
                Flatten(item, into);
            }
        }
        else
        {
            into.Add(value);
        }

        return into;
    }

    public static bool IsInteger(double d) => !double.IsInfinity(d) && Math.Floor(d) == d;
}
