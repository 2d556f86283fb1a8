using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Paths;

namespace Ingestion.States.Templates;

/// <summary>The context object (<c>$$</c>) as a state sees it, built only when a path reads it.</summary>
public abstract class ContextSource
{
    public abstract JValue Value { get; }

    /// <summary>The current Map item (<c>$$.Map.Item.Index</c> and <c>.Value</c>), when the context has one.</summary>
    /// <remarks>Lets an ItemSelector read them without building the whole context object for every item.</remarks>
    public virtual bool TryGetMapItem(out int index, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JValue? value)
    {
        index = -1;
        value = null;
        return false;
    }
}

/// <summary>What paths, templates and intrinsic functions evaluate against.</summary>
public readonly struct EvaluationScope(JValue input, ContextSource? context, IRandomSource random)
{
    public JValue Input { get; } = input;

    public ContextSource? Context { get; } = context;

    public IRandomSource Random { get; } = random;

    public JValue RootFor(JsonPath path) => path.IsContext
        ? Context?.Value ?? throw StatesException.Runtime($"The context object is not available to evaluate '{path.Text}'.")
        : Input;
}

/// <summary>The source of randomness for jitter and States.MathRandom, injectable so tests are deterministic.</summary>
public interface IRandomSource
{
    /// <summary>A double in [0, 1).</summary>
    double NextDouble();

    /// <summary>An integer in [minInclusive, maxExclusive).</summary>
    int Next(int minInclusive, int maxExclusive);
}

/// <summary>The shared thread-safe generator, or a seeded one behind a lock for reproducible runs.</summary>
public sealed class RandomSource : IRandomSource
{
    private readonly Random _random;
    private readonly bool _shared;

    private RandomSource(Random random, bool shared)
    {
        _random = random;
        _shared = shared;
    }

    public static RandomSource Shared { get; } = new(System.Random.Shared, shared: true);

    public static RandomSource Seeded(int seed) => new(new Random(seed), shared: false);

    public double NextDouble()
    {
        if (_shared)
        {
            return _random.NextDouble();
        }

        lock (_random)
        {
            return _random.NextDouble();
        }
    }

    public int Next(int minInclusive, int maxExclusive)
    {
        if (_shared)
        {
            return _random.Next(minInclusive, maxExclusive);
        }

        lock (_random)
        {
            return _random.Next(minInclusive, maxExclusive);
        }
    }
}
