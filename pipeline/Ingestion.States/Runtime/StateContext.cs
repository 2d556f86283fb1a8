using Ingestion.States.Json;
using Ingestion.States.Parsing;
using Ingestion.States.Templates;

namespace Ingestion.States.Runtime;

/// <summary>The context object of one state entry; the JSON is built only if a <c>$$</c> path reads it.</summary>
internal sealed class StateContext(ExecutionRun run, string stateName, DateTimeOffset enteredTime, int retryCount, int mapIndex = -1, JValue? mapValue = null)
    : ContextSource
{
    private JValue? _value;

    public override JValue Value => _value ??= Build();

    public StateContext ForMapItem(int index, JValue value) => new(run, stateName, enteredTime, retryCount, index, value);

    public override bool TryGetMapItem(out int index, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JValue? value)
    {
        index = mapIndex;
        value = mapValue;
        return mapValue is not null;
    }

    private JObject Build()
    {
        var properties = new List<KeyValuePair<string, JValue>>(4)
        {
            new("Execution", run.ExecutionContextObject),
            new("State", new JObject(
            [
                new("EnteredTime", new JString(Timestamps.Format(enteredTime))),
                new("Name", new JString(stateName)),
                new("RetryCount", JNumber.Of(retryCount)),
            ])),
            new("StateMachine", run.StateMachineContextObject),
        };
        if (mapValue is not null)
        {
            properties.Add(new("Map", new JObject([new("Item", new JObject([new("Index", JNumber.Of(mapIndex)), new("Value", mapValue)]))])));
        }

        return new JObject([.. properties]);
    }
}
