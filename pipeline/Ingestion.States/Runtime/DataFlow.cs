using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Paths;
using Ingestion.States.Templates;

namespace Ingestion.States.Runtime;

/// <summary>InputPath, ResultPath and OutputPath, in the specification's order and with AWS's errors.</summary>
internal static class DataFlow
{
    /// <summary>InputPath: null gives {}; a path that finds nothing is States.Runtime.</summary>
    /// <remarks>AWS's message names neither the state nor the field: the state is named when the failure leaves it.</remarks>
    public static JValue Select(JsonPath? path, JValue input, ContextSource? context = null)
    {
        if (path is null)
        {
            return JObject.Empty;
        }

        // $$ reads the context object, $name a variable: AWS allows both in InputPath, OutputPath and the other reference paths.
        var root = ContextSource.RootFor(path, input, context);
        if (path.IsRoot)
        {
            return root;
        }

        if (path.TrySelectSingle(root, out var value))
        {
            return value;
        }

        throw NoResults(path);
    }

    /// <summary>
    /// AWS's words for a reference path (InputPath, OutputPath, ItemsPath, a …Path field) that finds nothing; the state
    /// that failed is named in front of them when the failure leaves the state.
    /// </summary>
    public static StatesException NoResults(JsonPath path) =>
        StatesException.Runtime($"Invalid path '{path.Text}' : No results for path: {NormalizedPath.Of(path)}");

    /// <summary>ResultPath: null discards the result (the output is the input), $ replaces it.</summary>
    public static JValue Merge(JsonPath? resultPath, JValue input, JValue result)
    {
        if (resultPath is null)
        {
            return input;
        }

        return PathWriter.Set(input, resultPath, result);
    }

    /// <summary>States.DataLimitExceeded in AWS's words; <paramref name="name"/> is the state, or a Lambda task's function ARN.</summary>
    public static void CheckSize(JValue value, int limit, string name)
    {
        if (value.Utf8Length > limit)
        {
            throw new StatesException(StatesErrors.DataLimitExceeded,
                $"The state/task '{name}' returned a result with a size exceeding the maximum number of bytes service limit.");
        }
    }

    public static string Describe(JValue value)
    {
        var text = value.ToJsonString();
        return text.Length <= 1024 ? text : string.Concat(text.AsSpan(0, 1024), "…");
    }
}
