using Ingestion.States;
using Ingestion.States.Json;

namespace Ingestion.Local.Events;

/// <summary>A rule: events matching the pattern start an execution of the target with the event as input.</summary>
public sealed record EventRule(string Name, EventPattern Pattern, StateMachine Target);

/// <summary>
/// The local EventBridge bus: every rule whose pattern matches an event starts its target state machine with the
/// whole event as the execution input and a new UUID as the execution name, as a Step Functions target does.
/// </summary>
public sealed class EventRouter(StatesEngine engine, Action<Execution>? started = null)
{
    private readonly List<EventRule> _rules = [];

    public IReadOnlyList<EventRule> Rules => _rules;

    public EventRouter Add(EventRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _rules.Add(rule);
        return this;
    }

    /// <summary>The rules the event matches, without starting anything.</summary>
    public IReadOnlyList<EventRule> Match(JValue @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return [.. _rules.Where(rule => rule.Pattern.Matches(@event))];
    }

    /// <summary>Delivers the event: one execution per matching rule (none when nothing matches).</summary>
    public IReadOnlyList<Execution> Route(JValue @event)
    {
        var executions = new List<Execution>();
        foreach (var rule in Match(@event))
        {
            var execution = engine.Start(rule.Target, @event, new StartExecutionOptions { Name = Guid.NewGuid().ToString() });
            started?.Invoke(execution);
            executions.Add(execution);
        }

        return executions;
    }
}
