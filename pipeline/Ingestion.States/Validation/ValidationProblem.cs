namespace Ingestion.States.Validation;

/// <summary>One problem in a definition: which state (qualified by its parents), which field, what is wrong.</summary>
public sealed record ValidationProblem(string State, string Field, string Message)
{
    public override string ToString() => State.Length == 0 ? $"{Field}: {Message}" : $"{State} / {Field}: {Message}";
}

/// <summary>Raised when a definition that has problems is used to start an execution.</summary>
public sealed class InvalidDefinitionException(IReadOnlyList<ValidationProblem> problems)
    : Exception($"The state machine definition is invalid: {string.Join("; ", problems)}")
{
    public IReadOnlyList<ValidationProblem> Problems { get; } = problems;
}
