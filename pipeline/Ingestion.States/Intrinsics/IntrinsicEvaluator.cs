using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Templates;

namespace Ingestion.States.Intrinsics;

internal static class IntrinsicEvaluator
{
    public static JValue Evaluate(IntrinsicCall call, EvaluationScope scope)
    {
        var values = new JValue[call.Arguments.Length];
        var raw = new string?[call.Arguments.Length];
        for (var i = 0; i < values.Length; i++)
        {
            switch (call.Arguments[i])
            {
                case IntrinsicArgument.Literal literal:
                    values[i] = literal.Value;
                    raw[i] = literal.Raw;
                    break;
                case IntrinsicArgument.Path path:
                    var root = scope.RootFor(path.Value);
                    if (!path.Value.TryEvaluate(root, out var value))
                    {
                        // States.Runtime, as AWS raises it; the template names the whole call in front of this.
                        throw StatesException.Runtime($"The JsonPath argument for the field '{path.Value.Text}' could not be found in the input '{root.ToJsonString()}'");
                    }

                    values[i] = value;
                    break;
                case IntrinsicArgument.Call nested:
                    values[i] = Evaluate(nested.Value, scope);
                    break;
            }
        }

        return call.Function.Invoke(new IntrinsicArguments(call.Name, values, raw, scope));
    }
}
