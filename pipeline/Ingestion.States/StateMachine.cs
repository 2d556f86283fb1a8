using System.Diagnostics.CodeAnalysis;
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

    internal StateMachineDefinition Definition { get; }

    public StateMachineType Type { get; }

    /// <summary>How many states the definition has at its top level (not counting those of branches and iterations).</summary>
    public int TopLevelStateCount => Definition.Graph.States.Count;

    /// <summary>Parses and validates <paramref name="definitionJson"/>; throws with every problem when invalid.</summary>
    public static StateMachine Load(string name, string definitionJson, StateMachineType type = StateMachineType.Standard) =>
        TryLoad(name, definitionJson, out var machine, out var problems, type) ? machine : throw new InvalidDefinitionException(problems);

    /// <summary>Parses and validates <paramref name="definitionJson"/>; false with every problem found when it is invalid.</summary>
    public static bool TryLoad(
        string name,
        string definitionJson,
        [NotNullWhen(true)] out StateMachine? machine,
        out IReadOnlyList<ValidationProblem> problems,
        StateMachineType type = StateMachineType.Standard)
    {
        var result = DefinitionParser.Parse(definitionJson);
        problems = result.Problems;
        machine = result.IsValid ? new StateMachine(name, result.Definition!, type) : null;
        return machine is not null;
    }

    /// <summary>Replaces every <c>${Name}</c> in a definition's text with its value (as CDK substitutes them when deploying).</summary>
    public static string SubstitutePlaceholders(string definitionJson, IReadOnlyDictionary<string, string> values) =>
        Placeholders.Substitute(definitionJson, values);

    internal static StateMachine FromDefinition(string name, StateMachineDefinition definition, StateMachineType type = StateMachineType.Standard) =>
        new(name, definition, type);
}
