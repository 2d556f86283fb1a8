using Ingestion.States.Json;

namespace Ingestion.States.Intrinsics;

internal static class MathFunctions
{
    /// <summary>
    /// A random integer in [start, end); with a seed the sequence is reproducible, as on AWS. Non-integer bounds and seeds
    /// are rounded to the nearest integer, as AWS documents.
    /// </summary>
    public static JValue Random(IntrinsicArguments args)
    {
        var start = Int32(args, 0);
        var end = Int32(args, 1);
        if (end <= start)
        {
            throw args.Fail("the end must be greater than the start");
        }

        if (args.Count == 3)
        {
            return JNumber.Of(new Random(Int32(args, 2)).Next(start, end));
        }

        return JNumber.Of(args.Scope.Random.Next(start, end));
    }

    /// <summary>The sum of two numbers, each rounded to the nearest integer first, as AWS does.</summary>
    public static JValue Add(IntrinsicArguments args)
    {
        var sum = Int32(args, 0) + (long)Int32(args, 1);
        return sum is >= int.MinValue and <= int.MaxValue
            ? JNumber.Of(sum)
            : throw args.Fail("the sum is outside the 32-bit integer range");
    }

    private static int Int32(IntrinsicArguments args, int index) => args.RoundedInteger(index) is var value and >= int.MinValue and <= int.MaxValue
        ? (int)value
        : throw args.Fail($"argument {index + 1} is outside the 32-bit integer range");
}
