using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Paths;

namespace Ingestion.States.Templates;

/// <summary>The context object (<c>$$</c>) as a state sees it, built only when a path reads it.</summary>
internal abstract class ContextSource
{
    public abstract JValue Value { get; }

    /// <summary>The engine's clock now, for JSONata's <c>$now()</c> and <c>$millis()</c>; null outside an execution.</summary>
    public virtual DateTimeOffset? Now => null;

    /// <summary>The workflow variables the state sees, when it runs in an execution.</summary>
    public virtual Variables.VariableScope? Variables => null;

    /// <summary>What a path starts from: the input, the context object (<c>$$</c>) or a variable (<c>$name</c>).</summary>
    /// <returns>False when the path names a variable that is not assigned.</returns>
    public static bool TryRootFor(JsonPath path, JValue input, ContextSource? context, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JValue? root)
    {
        if (path.Variable is { } name)
        {
            root = null;
            return context?.Variables is { } variables && variables.TryGet(name, out root);
        }

        root = path.IsContext ? context?.Value ?? JObject.Empty : input;
        return true;
    }

    /// <summary>As <see cref="TryRootFor"/>, a variable that is not assigned being States.Runtime.</summary>
    public static JValue RootFor(JsonPath path, JValue input, ContextSource? context) =>
        TryRootFor(path, input, context, out var root) ? root : throw UndefinedVariable(path);

    public static StatesException UndefinedVariable(JsonPath path) =>
        StatesException.Runtime($"The variable '${path.Variable}' in the path '{path.Text}' is not defined.");

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

    /// <summary>The state's result, as JSONata's <c>$states.result</c> reads it (Output and Assign of Task, Map, Parallel).</summary>
    public JValue? Result { get; init; }

    /// <summary>The error a Catch handles, as JSONata's <c>$states.errorOutput</c> reads it.</summary>
    public JValue? ErrorOutput { get; init; }

    public JValue RootFor(JsonPath path) => path.IsContext && Context is null
        ? throw StatesException.Runtime($"The context object is not available to evaluate '{path.Text}'.")
        : ContextSource.RootFor(path, Input, Context);
}
