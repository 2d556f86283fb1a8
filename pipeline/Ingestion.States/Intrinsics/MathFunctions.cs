using Ingestion.States.Json;

namespace Ingestion.States.Intrinsics;

internal static class MathFunctions
{
    /// <summary>A random integer in [start, end); with a seed the sequence is reproducible, as on AWS.</summary>
    public static JValue Random(IntrinsicArguments args)
    {
        var start = args.Integer(0);
        var end = args.Integer(1);
        if (end <= start)
        {
            throw args.Fail("the end must be greater than the start");
        }

        if (args.Count == 3)
        {
            return JNumber.Of(new Random(args.Integer(2)).Next(start, end));
        }

        return JNumber.Of(args.Scope.Random.Next(start, end));
    }

    public static JValue Add(IntrinsicArguments args)
    {
        var sum = (long)args.Integer(0) + args.Integer(1);
        return sum is >= int.MinValue and <= int.MaxValue
            ? JNumber.Of(sum)
            : throw args.Fail("the sum is outside the 32-bit integer range");
    }
}
