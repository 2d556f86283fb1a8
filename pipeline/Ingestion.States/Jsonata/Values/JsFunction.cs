using Ingestion.States.Jsonata.Ast;
using Ingestion.States.Jsonata.Evaluation;
using Ingestion.States.Jsonata.Functions;

namespace Ingestion.States.Jsonata.Values;

/// <summary>A function value: a lambda, a built-in, a partial application or an internal native.</summary>
internal abstract class JsFunction
{
    public virtual Signature? Signature => null;

    /// <summary>How many arguments a higher-order function passes it (value, index, array).</summary>
    public abstract int Arity { get; }
}

/// <summary>A user function closed over its defining environment and context.</summary>
internal sealed class Lambda : JsFunction
{
    public Lambda(Node definition, IReadOnlyList<Node> parameters, object? input, Frame environment)
    {
        Definition = definition;
        Parameters = parameters;
        Input = input;
        Environment = environment;
    }

    public Node Definition { get; }

    public IReadOnlyList<Node> Parameters { get; }

    public object? Input { get; }

    public Frame Environment { get; }

    public bool Thunk => Definition.Thunk;

    public Node Body => Definition.Body!;

    /// <summary>A partially applied lambda no longer checks the original signature, as in jsonata-js.</summary>
    public bool IsPartial { get; init; }

    public override Signature? Signature => IsPartial ? null : Definition.Signature;

    public override int Arity => Parameters.Count;
}

internal delegate object? BuiltinBody(Evaluator evaluator, object?[] args, object? input);

/// <summary>A built-in function such as $sum.</summary>
internal sealed class BuiltinFunction : JsFunction
{
    private readonly Signature _signature;
    private readonly int _arity;

    public BuiltinFunction(string name, string signature, BuiltinBody body, int arity = -1)
    {
        Name = name;
        Body = body;
        _signature = Signature.Parse(signature, 0);
        _arity = arity >= 0 ? arity : _signature.ParameterCount;
    }

    public string Name { get; }

    public BuiltinBody Body { get; }

    public override Signature Signature => _signature;

    public override int Arity => _arity;
}

/// <summary>A built-in with some arguments fixed and '?' holes left for the caller.</summary>
internal sealed class PartialBuiltin : JsFunction
{
    public PartialBuiltin(JsFunction target, object?[] arguments, bool[] holes)
    {
        Target = target;
        Arguments = arguments;
        Holes = holes;
    }

    public JsFunction Target { get; }

    public object?[] Arguments { get; }

    public bool[] Holes { get; }

    public override int Arity => Holes.Count(h => h);
}

/// <summary>A function implemented inline by the evaluator (transforms, chains).</summary>
internal sealed class NativeFunction : JsFunction
{
    private readonly Signature? _signature;

    public NativeFunction(int arity, Func<Evaluator, object?[], object?> body, Signature? signature = null)
    {
        Arity = arity;
        Body = body;
        _signature = signature;
    }

    public Func<Evaluator, object?[], object?> Body { get; }

    public override Signature? Signature => _signature;

    public override int Arity { get; }
}

/// <summary>A regex literal: callable, and recognised by the string functions that take a pattern.</summary>
internal sealed class RegexFunction : JsFunction
{
    public RegexFunction(System.Text.RegularExpressions.Regex regex) => Regex = regex;

    public System.Text.RegularExpressions.Regex Regex { get; }

    public override int Arity => 1;
}
