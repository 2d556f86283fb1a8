using Ingestion.States.Jsonata.Ast;
using Ingestion.States.Jsonata.Functions;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Evaluation;

/// <summary>The transform operator <c>| pattern | update, delete |</c>: a function that edits a deep copy.</summary>
internal sealed partial class Evaluator
{
    private static readonly Signature TransformSignature = Signature.Parse("<(oa):o>", 0);

    private static NativeFunction MakeTransformer(Node expr, Frame env) => new(1, (evaluator, args) => evaluator.Transform(expr, env, args.Length > 0 ? args[0] : null), TransformSignature);

    private object? Transform(Node expr, Frame env, object? obj)
    {
        if (obj is null)
        {
            return null;
        }

        var clone = env.Lookup("clone");
        if (clone is not JsFunction)
        {
            throw JsonataErrors.Create("T2013", "The transform expression clones the input object using the $clone() function.  This has been overridden in the current scope by a non-function.", expr.Position);
        }

        var result = Apply(clone, [obj], null, env);
        var matches = Evaluate(expr.PatternExpr!, result, env);
        if (matches is null)
        {
            return result;
        }

        var list = matches as JsArray ?? [matches];
        foreach (var match in list)
        {
            var update = Evaluate(expr.Update!, match, env);
            if (update is not null)
            {
                if (update is not JsObject updateObject)
                {
                    throw JsonataErrors.Create("T2011", $"The insert/update clause of the transform expression must evaluate to an object: {StringFunctions.Stringify(update)}", expr.Update!.Position);
                }

                if (match is JsObject target)
                {
                    foreach (var (key, value) in updateObject)
                    {
                        target[key] = value;
                    }
                }
            }

            if (expr.Delete is null)
            {
                continue;
            }

            var deletions = Evaluate(expr.Delete, match, env);
            if (deletions is null)
            {
                continue;
            }

            var names = deletions as JsArray ?? [deletions];
            if (!JsValues.IsArrayOfStrings(names))
            {
                throw JsonataErrors.Create("T2012", $"The delete clause of the transform expression must evaluate to a string or array of strings: {StringFunctions.Stringify(deletions)}", expr.Delete.Position);
            }

            if (match is JsObject deleteFrom)
            {
                foreach (var name in names)
                {
                    deleteFrom.Remove((string)name!);
                }
            }
        }

        return result;
    }
}
