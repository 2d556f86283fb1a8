using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Paths;

namespace Ingestion.States.Runtime;

/// <summary>InputPath, ResultPath and OutputPath, in the specification's order and with AWS's errors.</summary>
internal static class DataFlow
{
    /// <summary>InputPath: null gives {}; a path that finds nothing is States.Runtime.</summary>
    public static JValue Select(JsonPath? path, JValue input, string stateName, string field)
    {
        if (path is null)
        {
            return JObject.Empty;
        }

        if (path.IsRoot)
        {
            return input;
        }

        if (path.TrySelectSingle(input, out var value))
        {
            return value;
        }

        throw StatesException.Runtime(
            $"An error occurred while executing the state '{stateName}'. Invalid path '{path.Text}' in {field}: no results for the path in '{Describe(input)}'.");
    }

    /// <summary>ResultPath: null discards the result (the output is the input), $ replaces it.</summary>
    public static JValue Merge(JsonPath? resultPath, JValue input, JValue result)
    {
        if (resultPath is null)
        {
            return input;
        }

        return PathWriter.Set(input, resultPath, result);
    }

    public static void CheckSize(JValue value, int limit, string stateName, string what)
    {
        if (value.Utf8Length > limit)
        {
            throw new StatesException(StatesErrors.DataLimitExceeded,
                $"The state '{stateName}' produced {what} of {value.Utf8Length} bytes, which exceeds the maximum of {limit} bytes.");
        }
    }

    public static string Describe(JValue value)
    {
        var text = value.ToJsonString();
        return text.Length <= 1024 ? text : string.Concat(text.AsSpan(0, 1024), "…");
    }
}
