using System.Collections.Immutable;
using Ingestion.States.Errors;
using Ingestion.States.Json;

namespace Ingestion.States.Variables;

/// <summary>
/// The workflow variables one chain of states sees: the execution's, or a Map iteration's or Parallel branch's, which
/// reads its enclosing scopes' variables and assigns only its own.
/// </summary>
/// <remarks>
/// Only the chain's own walk assigns, between two states, so a scope needs no lock; its values are an immutable map
/// so a redrive can keep the variables a failed state was entered with at no cost.
/// </remarks>
internal sealed class VariableScope
{
    private static readonly ImmutableDictionary<string, JValue> None = ImmutableDictionary<string, JValue>.Empty.WithComparers(StringComparer.Ordinal);

    private readonly VariableScope? _parent;
    private readonly VariableBudget _budget;
    private ImmutableDictionary<string, JValue> _values;
    private long _bytes;

    private VariableScope(VariableScope? parent, VariableBudget budget, ImmutableDictionary<string, JValue> values)
    {
        _parent = parent;
        _budget = budget;
        _values = values;
        if (values.IsEmpty)
        {
            // Every Map iteration makes a scope: the common empty one costs no pass over values and no shared counter.
            return;
        }

        foreach (var (_, value) in values)
        {
            _bytes += value.Utf8Length;
        }

        budget.Add(_bytes);
    }

    /// <summary>An execution's scope, empty or holding the variables a redrive resumes with.</summary>
    public static VariableScope ForExecution(ImmutableDictionary<string, JValue>? values = null) =>
        new(null, new VariableBudget(), values ?? None);

    /// <summary>A Map iteration's or Parallel branch's scope: sees this scope's variables, assigns its own.</summary>
    public VariableScope Child() => new(this, _budget, None);

    /// <summary>This scope's own variables as they are now.</summary>
    public ImmutableDictionary<string, JValue> Snapshot => _values;

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JValue? value)
    {
        for (var scope = this; scope is not null; scope = scope._parent)
        {
            if (scope._values.TryGetValue(name, out value))
            {
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>
    /// Assigns every variable of one Assign at once (each value was computed from the values the state was entered
    /// with), after checking AWS's limits.
    /// </summary>
    public void Assign(JObject assignments, string state)
    {
        if (assignments.Count == 0)
        {
            return;
        }

        var total = VariableLimits.Check(assignments, state);
        var replaced = 0L;
        foreach (var (name, _) in assignments)
        {
            if (_values.TryGetValue(name, out var old))
            {
                replaced += old.Utf8Length;
            }
        }

        _budget.Reserve(total - replaced, state);
        _bytes += total - replaced;
        _values = _values.SetItems(assignments);
    }

    /// <summary>Gives back what an iteration's or branch's variables took of the execution's budget when it ends.</summary>
    public void Release()
    {
        if (_bytes != 0)
        {
            _budget.Add(-_bytes);
            _bytes = 0;
        }
    }
}

/// <summary>The bytes all variables of one execution hold, against AWS's 10 MiB; branches and iterations share it.</summary>
internal sealed class VariableBudget
{
    private long _bytes;

    public void Add(long bytes) => Interlocked.Add(ref _bytes, bytes);

    public void Reserve(long bytes, string state)
    {
        if (Interlocked.Add(ref _bytes, bytes) > VariableLimits.ExecutionBytes)
        {
            Interlocked.Add(ref _bytes, -bytes);
            throw new StatesException(StatesErrors.Runtime,
                $"The state '{state}' would make the variables of the execution exceed the limit of {VariableLimits.ExecutionBytes} bytes.");
        }
    }
}
