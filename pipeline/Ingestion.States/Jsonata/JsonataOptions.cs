namespace Ingestion.States.Jsonata;

/// <summary>Limits and the clock for one evaluation.</summary>
public sealed record JsonataOptions
{
    public static JsonataOptions Default { get; } = new();

    /// <summary>The deepest nesting of evaluation allowed before U1001 (non-terminating recursion).</summary>
    public int MaxDepth { get; init; } = 10_000;

    /// <summary>Wall-clock limit before U1001 (infinite loop); none by default.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>The instant $now() and $millis() report; the current time when null.</summary>
    public DateTimeOffset? Now { get; init; }
}
