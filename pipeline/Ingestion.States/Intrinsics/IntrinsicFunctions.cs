using System.Diagnostics.CodeAnalysis;

namespace Ingestion.States.Intrinsics;

/// <summary>The table of intrinsic functions AWS Step Functions provides (JSONPath mode).</summary>
internal static class IntrinsicFunctions
{
    private static readonly Dictionary<string, IntrinsicFunction> Table = Build();

    public static IEnumerable<string> Names => Table.Keys;

    public static bool TryGet(string name, [NotNullWhen(true)] out IntrinsicFunction? function) => Table.TryGetValue(name, out function);

    private static Dictionary<string, IntrinsicFunction> Build()
    {
        IntrinsicFunction[] functions =
        [
            new("States.Format", 1, int.MaxValue, StringFunctions.Format),
            new("States.StringToJson", 1, 1, StringFunctions.StringToJson),
            new("States.JsonToString", 1, 1, StringFunctions.JsonToString),
            new("States.StringSplit", 2, 2, StringFunctions.StringSplit),
            new("States.Base64Encode", 1, 1, StringFunctions.Base64Encode),
            new("States.Base64Decode", 1, 1, StringFunctions.Base64Decode),
            new("States.Hash", 2, 2, StringFunctions.Hash),
            new("States.UUID", 0, 0, StringFunctions.Uuid),
            new("States.Array", 0, int.MaxValue, ArrayFunctions.Array),
            new("States.ArrayPartition", 2, 2, ArrayFunctions.Partition),
            new("States.ArrayContains", 2, 2, ArrayFunctions.Contains),
            new("States.ArrayRange", 3, 3, ArrayFunctions.Range),
            new("States.ArrayGetItem", 2, 2, ArrayFunctions.GetItem),
            new("States.ArrayLength", 1, 1, ArrayFunctions.Length),
            new("States.ArrayUnique", 1, 1, ArrayFunctions.Unique),
            new("States.JsonMerge", 3, 3, ArrayFunctions.JsonMerge),
            new("States.MathRandom", 2, 3, MathFunctions.Random),
            new("States.MathAdd", 2, 2, MathFunctions.Add),
        ];
        return functions.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }
}
