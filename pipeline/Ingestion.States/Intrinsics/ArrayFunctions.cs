using Ingestion.States.Json;

namespace Ingestion.States.Intrinsics;

internal static class ArrayFunctions
{
    /// <summary>AWS caps States.ArrayRange at 1,000 elements.</summary>
    private const int MaxRangeLength = 1000;

    public static JValue Array(IntrinsicArguments args)
    {
        var items = new JValue[args.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = args[i];
        }

        return new JArray(items);
    }

    public static JValue Partition(IntrinsicArguments args)
    {
        var array = args.Array(0);
        var size = args.Integer(1);
        if (size <= 0)
        {
            throw args.Fail("the chunk size must be a positive integer");
        }

        var chunks = new List<JValue>((array.Count + size - 1) / size);
        for (var start = 0; start < array.Count; start += size)
        {
            chunks.Add(new JArray(array.AsSpan().Slice(start, Math.Min(size, array.Count - start)).ToArray()));
        }

        return new JArray([.. chunks]);
    }

    public static JValue Contains(IntrinsicArguments args)
    {
        var array = args.Array(0);
        var needle = args[1];
        foreach (var item in array)
        {
            if (item.Equals(needle))
            {
                return JValue.True;
            }
        }

        return JValue.False;
    }

    public static JValue Range(IntrinsicArguments args)
    {
        var start = args.Integer(0);
        var end = args.Integer(1);
        var step = args.Integer(2);
        if (step == 0)
        {
            throw args.Fail("the step cannot be 0");
        }

        var items = new List<JValue>();
        for (long i = start; step > 0 ? i <= end : i >= end; i += step)
        {
            if (items.Count == MaxRangeLength)
            {
                throw args.Fail($"the range has more than {MaxRangeLength} elements");
            }

            items.Add(JNumber.Of(i));
        }

        return new JArray([.. items]);
    }

    public static JValue GetItem(IntrinsicArguments args)
    {
        var array = args.Array(0);
        var index = args.Integer(1);
        return index >= 0 && index < array.Count
            ? array[index]
            : throw args.Fail($"the index {index} is out of bounds for an array of {array.Count} elements");
    }

    public static JValue Length(IntrinsicArguments args) => JNumber.Of(args.Array(0).Count);

    public static JValue Unique(IntrinsicArguments args)
    {
        var seen = new HashSet<JValue>();
        var items = new List<JValue>();
        foreach (var item in args.Array(0))
        {
            if (seen.Add(item))
            {
                items.Add(item);
            }
        }

        return new JArray([.. items]);
    }

    public static JValue JsonMerge(IntrinsicArguments args)
    {
        var left = args.Object(0);
        var right = args.Object(1);
        if (args.Boolean(2))
        {
            // AWS supports only the shallow merge.
            throw args.Fail("deep merge is not supported; the third argument must be false");
        }

        var merged = left;
        foreach (var property in right)
        {
            merged = merged.With(property.Key, property.Value);
        }

        return merged;
    }
}
