namespace Ingestion.States;

/// <summary>
/// A clock for tests: time moves only when the interpreter waits (Wait states, retry intervals,
/// which then return at once) or when a test calls <see cref="Advance"/>. Timers (task and
/// execution timeouts) fire when virtual time passes their due time.
/// </summary>
/// <remarks>
/// Concurrent waits (two Parallel branches each waiting 10 s) add up rather than overlap: a
/// deliberate simplification that keeps tests deterministic.
/// </remarks>
public sealed class VirtualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly List<VirtualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public VirtualTimeProvider()
        : this(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_timers)
        {
            return _now;
        }
    }

    /// <summary>Moves time forward and fires every timer that falls due.</summary>
    public void Advance(TimeSpan delta)
    {
        List<VirtualTimer> due;
        lock (_timers)
        {
            _now += delta;
            due = _timers.Where(t => t.Due <= _now).OrderBy(t => t.Due).ToList();
            foreach (var timer in due)
            {
                _timers.Remove(timer);
            }
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Schedule(VirtualTimer timer, TimeSpan dueTime)
    {
        lock (_timers)
        {
            _timers.Remove(timer);
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                timer.Due = _now + dueTime;
                _timers.Add(timer);
            }
        }
    }

    private void Cancel(VirtualTimer timer)
    {
        lock (_timers)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class VirtualTimer(VirtualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset Due { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Schedule(this, dueTime);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Cancel(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
