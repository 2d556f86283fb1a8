using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Templates;

namespace Ingestion.States.Intrinsics;

/// <summary>One intrinsic function: its arity (checked at parse time) and its evaluation.</summary>
internal sealed class IntrinsicFunction(string name, int minArguments, int maxArguments, Func<IntrinsicArguments, JValue> evaluate)
{
    public string Name { get; } = name;

    public int MinArguments { get; } = minArguments;

    public int MaxArguments { get; } = maxArguments;

    internal JValue Invoke(IntrinsicArguments arguments) => evaluate(arguments);
}

/// <summary>Evaluated arguments with typed accessors that raise States.IntrinsicFailure as AWS does.</summary>
internal sealed class IntrinsicArguments(string function, JValue[] values, string?[] raw, EvaluationScope scope)
{
    public int Count => values.Length;

    public EvaluationScope Scope => scope;

    public JValue this[int index] => values[index];

    public string? RawString(int index) => raw[index];

    public string String(int index) => values[index] is JString s
        ? s.Value
        : throw Fail($"argument {index + 1} must be a string, got {Describe(values[index])}");

    public JArray Array(int index) => values[index] is JArray a
        ? a
        : throw Fail($"argument {index + 1} must be an array, got {Describe(values[index])}");

    public JObject Object(int index) => values[index] is JObject o
        ? o
        : throw Fail($"argument {index + 1} must be an object, got {Describe(values[index])}");

    public bool Boolean(int index) => values[index] is JBool b
        ? b.Value
        : throw Fail($"argument {index + 1} must be a boolean, got {Describe(values[index])}");

    public int Integer(int index)
    {
        if (values[index] is JNumber n && n.TryGetInt32(out var value))
        {
            return value;
        }

        throw Fail($"argument {index + 1} must be an integer, got {Describe(values[index])}");
    }

    /// <summary>
    /// A number rounded to the nearest integer as Java's Math.round does (halves up, toward positive infinity): what
    /// AWS does with a non-integer argument of States.MathAdd and States.MathRandom (it returned 3 for MathAdd(1.49, 1.5)).
    /// </summary>
    public long RoundedInteger(int index) => values[index] is JNumber n
        ? n.IsInteger ? n.LongValue : (long)Math.Floor(n.Value + 0.5)
        : throw Fail($"argument {index + 1} must be a number, got {Describe(values[index])}");

    public StatesException Fail(string message) => StatesException.Intrinsic($"Invalid arguments in {function}: {message}.");

    private static string Describe(JValue value) => value.Kind switch
    {
        JKind.String => $"the string {value.ToJsonString()}",
        JKind.Number => $"the number {value.ToJsonString()}",
        _ => value.Kind.ToString().ToLowerInvariant(),
    };
}
