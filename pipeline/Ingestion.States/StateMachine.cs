using Ingestion.States.Model;
using Ingestion.States.Parsing;
using Ingestion.States.Validation;

namespace Ingestion.States;

public enum StateMachineType
{
    Standard,
    Express,
}

/// <summary>A named, parsed state machine, ready to execute any number of times.</summary>
public sealed class StateMachine
{
    private StateMachine(string name, StateMachineDefinition definition, StateMachineType type)
    {
        Name = name;
        Definition = definition;
        Type = type;
    }

    public string Name { get; }

    public StateMachineDefinition Definition { get; }

    public StateMachineType Type { get; }

    /// <summary>Parses and validates <paramref name="definitionJson"/>; throws with every problem when invalid.</summary>
    public static StateMachine Load(string name, string definitionJson, StateMachineType type = StateMachineType.Standard)
    {
        var result = DefinitionParser.Parse(definitionJson);
        return result.IsValid
            ? new StateMachine(name, result.Definition!, type)
            : throw new InvalidDefinitionException(result.Problems);
    }

    public static StateMachine FromDefinition(string name, StateMachineDefinition definition, StateMachineType type = StateMachineType.Standard) =>
        new(name, definition, type);
}
