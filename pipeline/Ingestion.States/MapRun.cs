namespace Ingestion.States;

/// <summary>Counts of a map run's items or child executions, as DescribeMapRun reports them.</summary>
public readonly record struct MapRunCounts(long Pending, long Running, long Succeeded, long Failed, long TimedOut, long Aborted, long Total, long ResultsWritten);

/// <summary>A point-in-time view of a map run, for progress bars.</summary>
public readonly record struct MapRunProgress(string MapRunArn, string Status, MapRunCounts Items, MapRunCounts Executions);

/// <summary>
/// A Distributed Map's run: the child executions it starts and tracks. Counters update while it
/// runs; read <see cref="Progress"/> (or subscribe to <see cref="StatesEngineOptions.OnMapRunProgress"/>).
/// </summary>
public sealed class MapRun
{
    private long _itemsTotal;
    private long _itemsRunning;
    private long _itemsSucceeded;
    private long _itemsFailed;
    private long _itemsTimedOut;
    private long _itemsAborted;
    private long _executionsTotal;
    private long _executionsRunning;
    private long _executionsSucceeded;
    private long _executionsFailed;
    private long _executionsTimedOut;
    private long _executionsAborted;
    private long _resultsWritten;

    internal MapRun(string arn, string id, string stateName, DateTimeOffset startDate)
    {
        Arn = arn;
        Id = id;
        StateName = stateName;
        StartDate = startDate;
    }

    public string Arn { get; }

    /// <summary>The map run's id: the last part of its ARN, and the folder of its ResultWriter output.</summary>
    public string Id { get; }

    public string StateName { get; }

    public DateTimeOffset StartDate { get; }

    public DateTimeOffset? StopDate { get; internal set; }

    /// <summary>RUNNING, SUCCEEDED, FAILED or ABORTED.</summary>
    public string Status { get; internal set; } = "RUNNING";

    public MapRunProgress Progress
    {
        get
        {
            var items = Counts(ref _itemsTotal, ref _itemsRunning, ref _itemsSucceeded, ref _itemsFailed, ref _itemsTimedOut, ref _itemsAborted);
            var executions = Counts(ref _executionsTotal, ref _executionsRunning, ref _executionsSucceeded, ref _executionsFailed, ref _executionsTimedOut, ref _executionsAborted);
            return new MapRunProgress(Arn, Status, items, executions);
        }
    }

    internal void ItemsRead(int count) => Interlocked.Add(ref _itemsTotal, count);

    internal void ChildStarted(int items)
    {
        Interlocked.Add(ref _itemsRunning, items);
        Interlocked.Increment(ref _executionsTotal);
        Interlocked.Increment(ref _executionsRunning);
    }

    internal void ChildEnded(int items, ExecutionStatus status)
    {
        Interlocked.Add(ref _itemsRunning, -items);
        Interlocked.Decrement(ref _executionsRunning);
        switch (status)
        {
            case ExecutionStatus.Succeeded:
                Interlocked.Add(ref _itemsSucceeded, items);
                Interlocked.Increment(ref _executionsSucceeded);
                break;
            case ExecutionStatus.TimedOut:
                Interlocked.Add(ref _itemsTimedOut, items);
                Interlocked.Increment(ref _executionsTimedOut);
                break;
            case ExecutionStatus.Aborted:
                Interlocked.Add(ref _itemsAborted, items);
                Interlocked.Increment(ref _executionsAborted);
                break;
            default:
                Interlocked.Add(ref _itemsFailed, items);
                Interlocked.Increment(ref _executionsFailed);
                break;
        }
    }

    /// <summary>A redrive starts over for what did not succeed: failures are forgotten, successes kept.</summary>
    internal void ResetForRedrive()
    {
        Status = "RUNNING";
        StopDate = null;
        Interlocked.Exchange(ref _itemsTotal, 0);
        Interlocked.Exchange(ref _itemsFailed, 0);
        Interlocked.Exchange(ref _itemsTimedOut, 0);
        Interlocked.Exchange(ref _itemsAborted, 0);
        Interlocked.Exchange(ref _itemsSucceeded, 0);
        Interlocked.Exchange(ref _executionsFailed, 0);
        Interlocked.Exchange(ref _executionsTimedOut, 0);
        Interlocked.Exchange(ref _executionsAborted, 0);
    }

    internal void ResultWritten(int items) => Interlocked.Add(ref _resultsWritten, items);

    private MapRunCounts Counts(ref long total, ref long running, ref long succeeded, ref long failed, ref long timedOut, ref long aborted)
    {
        var t = Interlocked.Read(ref total);
        var r = Interlocked.Read(ref running);
        var s = Interlocked.Read(ref succeeded);
        var f = Interlocked.Read(ref failed);
        var o = Interlocked.Read(ref timedOut);
        var a = Interlocked.Read(ref aborted);
        return new MapRunCounts(Math.Max(0, t - r - s - f - o - a), r, s, f, o, a, t, Interlocked.Read(ref _resultsWritten));
    }
}
