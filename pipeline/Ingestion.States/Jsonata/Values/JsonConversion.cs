using Ingestion.States.Json;

namespace Ingestion.States.Jsonata.Values;

/// <summary>Converts between the interpreter's immutable <see cref="JValue"/> and the evaluator's values.</summary>
internal static class JsonConversion
{
    public static object? FromJson(JValue? value) => value switch
    {
        null => null,
        JNull => JsNull.Value,
        JBool b => b.Value,
        JNumber n => n.Value,
        JString s => s.Value,
        JArray array => FromArray(array),
        JObject obj => FromObject(obj),
        _ => null,
    };

    private static JsArray FromArray(JArray array)
    {
        var result = new JsArray(array.Count);
        foreach (var item in array)
        {
            result.Add(FromJson(item));
        }

        return result;
    }

    private static JsObject FromObject(JObject obj)
    {
        var result = new JsObject(obj.Count);
        foreach (var (key, value) in obj)
        {
            result[key] = FromJson(value);
        }

        return result;
    }

    /// <summary>The JSON form of a result; null when there is no value (undefined). Functions become empty strings, as JSON.stringify renders them through jsonata's replacer.</summary>
    public static JValue? ToJson(object? value) => value switch
    {
        null => null,
        JsNull => JValue.Null,
        bool b => JBool.Of(b),
        double d => double.IsFinite(d) ? JNumber.Of(d) : JValue.Null,
        string s => new JString(s),
        JsArray array => new JArray(array.Select(v => ToJson(v) ?? JValue.Null).ToArray()),
        JsObject obj => ToObject(obj),
        JsFunction => new JString(string.Empty),
        _ => null,
    };

    private static JObject ToObject(JsObject obj)
    {
        var properties = new List<KeyValuePair<string, JValue>>(obj.Count);
        foreach (var (key, value) in obj)
        {
            if (ToJson(value) is { } json)
            {
                properties.Add(new(key, json));
            }
        }

        return new JObject([.. properties]);
    }
}
