using Ingestion.States.Json;
using Ingestion.States.Jsonata;

namespace Ingestion.States.Tests.Jsonata;

/// <summary>Evaluates a case and checks the result, the undefined result, or the error code.</summary>
internal static class JsonataCaseRunner
{
    /// <summary>A fixed clock, so $now-based cases are reproducible.</summary>
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Run(JsonataCase c)
    {
        var options = new JsonataOptions
        {
            MaxDepth = c.Depth ?? JsonataOptions.Default.MaxDepth,
            TimeLimit = c.TimeLimitMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            Now = Now,
        };

        JValue? actual;
        try
        {
            actual = JsonataExpression.Parse(c.Expression).Evaluate(c.Input, c.Bindings, options);
        }
        catch (JsonataException e) when (c.ExpectedCode is not null)
        {
            Assert.Equal(c.ExpectedCode, e.Code);
            return;
        }

        if (c.ExpectedCode is { } code)
        {
            Assert.Fail($"expected error {code}, got {actual?.ToJsonString() ?? "undefined"}");
        }

        if (c.ExpectedResult is { } expected)
        {
            Assert.True(actual is not null && expected.Equals(actual), $"expected {expected.ToJsonString()}, got {actual?.ToJsonString() ?? "undefined"}");
        }
        else
        {
            Assert.True(actual is null, $"expected undefined, got {actual?.ToJsonString()}");
        }
    }
}
