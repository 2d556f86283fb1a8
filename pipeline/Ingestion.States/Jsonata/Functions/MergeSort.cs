using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>A stable merge sort driven by a "should swap" predicate, which is how JSONata comparators are written.</summary>
internal static class MergeSort
{
    public static JsArray Sort(IReadOnlyList<object?> items, Func<object?, object?, bool> greater)
    {
        var array = items.ToArray();
        if (array.Length > 1)
        {
            var buffer = new object?[array.Length];
            SortRange(array, buffer, 0, array.Length, greater);
        }

        return new JsArray(array);
    }

    private static void SortRange(object?[] a, object?[] buffer, int start, int end, Func<object?, object?, bool> greater)
    {
        if (end - start < 2)
        {
            return;
        }

        var middle = (start + end) / 2;
        SortRange(a, buffer, start, middle, greater);
        SortRange(a, buffer, middle, end, greater);
        int l = start, r = middle, o = start;
        while (l < middle && r < end)
        {
            // Take from the right only when the left is strictly greater: equal items keep their order.
            buffer[o++] = greater(a[l], a[r]) ? a[r++] : a[l++];
        }

        while (l < middle)
        {
            buffer[o++] = a[l++];
        }

        while (r < end)
        {
            buffer[o++] = a[r++];
        }

        Array.Copy(buffer, start, a, start, end - start);
    }
}
