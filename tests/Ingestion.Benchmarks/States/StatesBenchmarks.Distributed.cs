namespace Ingestion.Benchmarks.States;

internal static partial class StatesBenchmarks
{
    private static Task DistributedAsync() => Task.CompletedTask;

    private static Task BigFileAsync() => Task.CompletedTask;
}
