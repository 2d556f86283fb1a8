using Ingestion.States.Json;
using Ingestion.States.Parsing;
using Ingestion.States.Templates;

namespace Ingestion.States.Runtime;

/// <summary>The context object of one state entry; the JSON is built only if a <c>$$</c> path reads it.</summary>
/// <remarks>
/// Its fields and their order are AWS's (LocalStack's AWS recordings, context_object/test_context_object.snapshot.json):
/// <c>Execution</c> {Id, Input, StartTime, Name, RoleArn, RedriveCount}, <c>StateMachine</c> {Id, Name}, <c>State</c>
/// {Name, EnteredTime} and RetryCount only in the states that can retry (Task, Parallel, Map).
/// </remarks>
internal sealed class StateContext(
    ExecutionRun run, string stateName, DateTimeOffset enteredTime, int? retryCount, Variables.VariableScope? variables = null, int mapIndex = -1, JValue? mapValue = null)
    : ContextSource
{
    private JValue? _value;

    public override JValue Value => _value ??= Build();

    public override Variables.VariableScope? Variables => variables;

    public override DateTimeOffset? Now => run.Clock.GetUtcNow();

    public StateContext ForMapItem(int index, JValue value) => new(run, stateName, enteredTime, retryCount, variables, index, value);

    public override bool TryGetMapItem(out int index, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JValue? value)
    {
        index = mapIndex;
        value = mapValue;
        return mapValue is not null;
    }

    private JObject Build()
    {
        var state = retryCount is { } retries
            ? new JObject([new("Name", new JString(stateName)), new("EnteredTime", new JString(Timestamps.Format(enteredTime))), new("RetryCount", JNumber.Of(retries))])
            : new JObject([new("Name", new JString(stateName)), new("EnteredTime", new JString(Timestamps.Format(enteredTime)))]);
        var properties = new List<KeyValuePair<string, JValue>>(4)
        {
            new("Execution", run.ExecutionContextObject),
            new("StateMachine", run.StateMachineContextObject),
            new("State", state),
        };
        if (mapValue is not null)
        {
            properties.Add(new("Map", new JObject([new("Item", new JObject([new("Index", JNumber.Of(mapIndex)), new("Value", mapValue)]))])));
        }

        return new JObject([.. properties]);
    }
}
