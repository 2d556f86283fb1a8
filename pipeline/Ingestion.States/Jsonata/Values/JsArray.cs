namespace Ingestion.States.Jsonata.Values;

/// <summary>
/// An array during evaluation: either a JSON array or a sequence (the results of a path step).
/// </summary>
/// <remarks>
/// Sequences of one item collapse to that item when an expression's value is taken, unless
/// <see cref="KeepSingleton"/> is set by the <c>[]</c> suffix. Arrays built by a constructor
/// (<see cref="Cons"/>) are kept whole when a path step flattens its results.
/// </remarks>
internal sealed class JsArray : List<object?>
{
    public JsArray()
    {
    }

    public JsArray(int capacity)
        : base(capacity)
    {
    }

    public JsArray(IEnumerable<object?> items)
        : base(items)
    {
    }

    public bool IsSequence { get; set; }

    public bool KeepSingleton { get; set; }

    /// <summary>The wrapper placed around an array input so that <c>$</c> still sees the array.</summary>
    public bool OuterWrapper { get; set; }

    /// <summary>Items are tuples (objects of bindings with the context under "@").</summary>
    public bool TupleStream { get; set; }

    public bool Cons { get; set; }

    public static JsArray Sequence() => new() { IsSequence = true };

    public JsArray AsSequence()
    {
        IsSequence = true;
        return this;
    }

    public static JsArray Sequence(object? item)
    {
        // Like jsonata-js's createSequence(x): holds x even when x is undefined, so a path's first step still runs.
        return new JsArray { item }.AsSequence();
    }
}
