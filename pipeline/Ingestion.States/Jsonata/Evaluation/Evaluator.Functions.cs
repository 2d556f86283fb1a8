using Ingestion.States.Jsonata.Ast;
using Ingestion.States.Jsonata.Functions;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Evaluation;

/// <summary>Function calls, the trampoline for tail calls, partial application and '~>'.</summary>
internal sealed partial class Evaluator
{
    private static readonly Node ChainLambda = Parsing.Parser.Parse("function($f, $g) { function($x){ $g($f($x)) } }");

    private object? CallFunction(Node expr, object? input, Frame env, bool hasApplyTo, object? applyTo)
    {
        var proc = Evaluate(expr.Procedure!, input, env);
        var procName = ProcedureName(expr.Procedure!);
        if (proc is null && expr.Procedure!.Kind == NodeKind.Path && env.Lookup(procName) is not null)
        {
            throw JsonataErrors.Create("T1005", $"Attempted to invoke a non-function. Did you mean ${procName}?", expr.Position, procName);
        }

        var args = new object?[expr.Arguments.Count + (hasApplyTo ? 1 : 0)];
        var offset = 0;
        if (hasApplyTo)
        {
            args[0] = applyTo;
            offset = 1;
        }

        for (var i = 0; i < expr.Arguments.Count; i++)
        {
            args[i + offset] = Evaluate(expr.Arguments[i], input, env);
        }

        try
        {
            return Apply(proc, args, input, env);
        }
        catch (JsonataException e) when (e.Locate(expr.Position, procName))
        {
            throw;
        }
    }

    private static string ProcedureName(Node procedure) =>
        procedure.Kind == NodeKind.Path && procedure.Steps.Count > 0 ? procedure.Steps[0].Text : procedure.Text;

    /// <summary>Calls a function value; tail calls come back as thunks and are run here in a loop.</summary>
    public object? Apply(object? proc, object?[] args, object? input, Frame? env = null)
    {
        var result = ApplyInner(proc, args, input);
        while (result is Lambda { Thunk: true } thunk)
        {
            var call = thunk.Body;
            var next = Evaluate(call.Procedure!, thunk.Input, thunk.Environment);
            var nextArgs = new object?[call.Arguments.Count];
            for (var i = 0; i < nextArgs.Length; i++)
            {
                nextArgs[i] = Evaluate(call.Arguments[i], thunk.Input, thunk.Environment);
            }

            try
            {
                result = ApplyInner(next, nextArgs, input);
            }
            catch (JsonataException e) when (e.Locate(call.Position, ProcedureName(call.Procedure!)))
            {
                throw;
            }
        }

        return result;
    }

    private object? ApplyInner(object? proc, object?[] args, object? input)
    {
        if (proc is not JsFunction function)
        {
            throw JsonataErrors.Create("T1006", "Attempted to invoke a non-function");
        }

        var validated = function.Signature is { } signature ? signature.Validate(args, input) : args;
        switch (function)
        {
            case Lambda lambda:
                return ApplyLambda(lambda, validated);
            case BuiltinFunction builtin:
                return builtin.Body(this, validated, input);
            case PartialBuiltin partial:
                var full = new object?[partial.Arguments.Length];
                var next = 0;
                for (var i = 0; i < full.Length; i++)
                {
                    full[i] = partial.Holes[i] ? (next < validated.Length ? validated[next++] : null) : partial.Arguments[i];
                }

                return ApplyInner(partial.Target, full, input);
            case NativeFunction native:
                return native.Body(this, validated);
            case RegexFunction regex:
                return RegexFunctions.MatchObject(regex.Regex, validated.Length > 0 ? validated[0] as string : null, 0);
            default:
                throw JsonataErrors.Create("T1006", "Attempted to invoke a non-function");
        }
    }

    private object? ApplyLambda(Lambda lambda, object?[] args)
    {
        var env = new Frame(lambda.Environment);
        for (var i = 0; i < lambda.Parameters.Count; i++)
        {
            env.Bind(lambda.Parameters[i].Text, i < args.Length ? args[i] : null);
        }

        return Evaluate(lambda.Body, lambda.Input, env);
    }

    private object? PartiallyApply(Node expr, object? input, Frame env)
    {
        var args = new object?[expr.Arguments.Count];
        var holes = new bool[expr.Arguments.Count];
        for (var i = 0; i < args.Length; i++)
        {
            if (expr.Arguments[i].Kind == NodeKind.Placeholder)
            {
                holes[i] = true;
            }
            else
            {
                args[i] = Evaluate(expr.Arguments[i], input, env);
            }
        }

        var proc = Evaluate(expr.Procedure!, input, env);
        var procName = ProcedureName(expr.Procedure!);
        if (proc is null && expr.Procedure!.Kind == NodeKind.Path && env.Lookup(procName) is not null)
        {
            throw JsonataErrors.Create("T1007", $"Attempted to partially apply a non-function. Did you mean ${procName}?", expr.Position, procName);
        }

        switch (proc)
        {
            case Lambda lambda:
                var scope = new Frame(lambda.Environment);
                var unbound = new List<Node>();
                for (var i = 0; i < lambda.Parameters.Count; i++)
                {
                    if (i < args.Length && holes[i])
                    {
                        unbound.Add(lambda.Parameters[i]);
                    }
                    else
                    {
                        scope.Bind(lambda.Parameters[i].Text, i < args.Length ? args[i] : null);
                    }
                }

                return new Lambda(lambda.Definition, unbound, lambda.Input, scope) { IsPartial = true };
            case JsFunction function:
                return new PartialBuiltin(function, args, holes);
            default:
                throw JsonataErrors.Create("T1008", "Attempted to partially apply a non-function", expr.Position, procName);
        }
    }

    private object? EvaluateApply(Node expr, object? input, Frame env)
    {
        var lhs = Evaluate(expr.Lhs!, input, env);
        if (expr.Rhs!.Kind == NodeKind.FunctionCall)
        {
            return CallFunction(expr.Rhs, input, env, hasApplyTo: true, applyTo: lhs);
        }

        var func = Evaluate(expr.Rhs, input, env);
        if (func is not JsFunction)
        {
            throw JsonataErrors.Create("T2006", "The right side of the function application operator ~> must be a function", expr.Position);
        }

        if (lhs is JsFunction)
        {
            var chain = Evaluate(ChainLambda, null, env);
            return Apply(chain, [lhs, func], null, env);
        }

        return Apply(func, [lhs], null, env);
    }
}
