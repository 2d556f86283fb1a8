using Ingestion.States.Errors;

namespace Ingestion.States.ItemReaders;

/// <summary>States.ItemReaderFailed with a cause that names the object, the position and what was wrong.</summary>
internal static class ItemReaderFailure
{
    public static StatesException At(string source, string position, string problem) =>
        new(StatesErrors.ItemReaderFailed, $"Failed to read items from {source} at {position}: {problem}");

    public static StatesException Of(string source, string problem) =>
        new(StatesErrors.ItemReaderFailed, $"Failed to read items from {source}: {problem}");
}
