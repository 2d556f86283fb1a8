namespace Ingestion.States.Jsonata.Evaluation;

/// <summary>A scope of variable bindings; lambdas keep the frame they were defined in.</summary>
internal sealed class Frame
{
    private readonly Frame? _parent;
    private Dictionary<string, object?>? _variables;

    public Frame(Frame? parent) => _parent = parent;

    public void Bind(string name, object? value) => (_variables ??= new(StringComparer.Ordinal))[name] = value;

    public object? Lookup(string name)
    {
        for (var frame = this; frame is not null; frame = frame._parent)
        {
            if (frame._variables is not null && frame._variables.TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return null;
    }
}
