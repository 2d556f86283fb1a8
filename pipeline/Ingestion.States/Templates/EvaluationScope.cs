using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Paths;

namespace Ingestion.States.Templates;

/// <summary>The context object (<c>$$</c>) as a state sees it, built only when a path reads it.</summary>
internal abstract class ContextSource
{
    public abstract JValue Value { get; }

    /// <summary>The current Map item (<c>$$.Map.Item.Index</c> and <c>.Value</c>), when the context has one.</summary>
    /// <remarks>Lets an ItemSelector read them without building the whole context object for every item.</remarks>
    public virtual bool TryGetMapItem(out int index, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JValue? value)
    {
        index = -1;
        value = null;
        return false;
    }
}

/// <summary>What paths, templates and intrinsic functions evaluate against.</summary>
internal readonly struct EvaluationScope(JValue input, ContextSource? context, IRandomSource random)
{
    public JValue Input { get; } = input;

    public ContextSource? Context { get; } = context;

    public IRandomSource Random { get; } = random;

    public JValue RootFor(JsonPath path) => path.IsContext
        ? Context?.Value ?? throw StatesException.Runtime($"The context object is not available to evaluate '{path.Text}'.")
        : Input;
}
