namespace Ingestion.States.History;

/// <summary>Whether an execution records its event history.</summary>
public enum HistoryMode
{
    /// <summary>Every event, as AWS records them for a STANDARD workflow.</summary>
    Full,

    /// <summary>No events: for bulk child executions whose history nobody reads.</summary>
    None,
}

/// <summary>Appends events thread-safely (Parallel branches and Map iterations record at once).</summary>
internal sealed class HistoryRecorder(HistoryMode mode, TimeProvider clock)
{
    private readonly List<HistoryEvent> _events = [];

    public bool Enabled { get; } = mode == HistoryMode.Full;

    public IReadOnlyList<HistoryEvent> Snapshot()
    {
        lock (_events)
        {
            return [.. _events];
        }
    }

    /// <summary>Appends <paramref name="e"/> after the event <paramref name="previous"/>; returns its id.</summary>
    public long Add(long previous, HistoryEvent e)
    {
        e.Timestamp = clock.GetUtcNow();
        e.PreviousEventId = previous;
        lock (_events)
        {
            e.Id = _events.Count + 1L;
            _events.Add(e);
        }

        return e.Id;
    }
}
