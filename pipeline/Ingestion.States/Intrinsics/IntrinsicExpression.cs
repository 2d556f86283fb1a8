using Ingestion.States.Json;
using Ingestion.States.Paths;

namespace Ingestion.States.Intrinsics;

/// <summary>An argument of an intrinsic function call.</summary>
internal abstract record IntrinsicArgument
{
    private IntrinsicArgument()
    {
    }

    /// <summary>A literal; for strings <paramref name="Raw"/> keeps the escapes States.Format needs to tell <c>\{</c> from <c>{}</c>.</summary>
    public sealed record Literal(JValue Value, string? Raw) : IntrinsicArgument;

    public sealed record Path(JsonPath Value) : IntrinsicArgument;

    public sealed record Call(IntrinsicCall Value) : IntrinsicArgument;
}

/// <summary>A parsed <c>States.X(…)</c> call, resolved to its function at parse time.</summary>
internal sealed record IntrinsicCall(string Name, IntrinsicFunction Function, IntrinsicArgument[] Arguments);
