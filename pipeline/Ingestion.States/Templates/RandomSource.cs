namespace Ingestion.States.Templates;

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
