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

    /// <summary>Events not recorded (None mode): still counted, so a failure can name its state's Entered event id.</summary>
    private long _uncounted;

    public bool Enabled { get; } = mode == HistoryMode.Full;

    public IReadOnlyList<HistoryEvent> Snapshot()
    {
        lock (_events)
        {
            return [.. _events];
        }
    }

    /// <summary>
    /// Counts <paramref name="count"/> events that are not recorded and returns the id the last of them would have
    /// had: AWS numbers an EXPRESS execution's events too, and its States.Runtime causes quote those ids.
    /// </summary>
    public long Skip(int count = 1) => Interlocked.Add(ref _uncounted, count);

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
