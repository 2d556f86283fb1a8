using Ingestion.States.Jsonata.Ast;
using Ingestion.States.Jsonata.Evaluation;

namespace Ingestion.States.Jsonata.Parsing;

/// <summary>
/// Turns the raw parse tree into the evaluated form: '.' chains become path steps, predicates become
/// step stages, '@'/'#' mark tuple steps, and each parent operator '%' is tied to the step it refers to.
/// </summary>
internal sealed partial class TreeBuilder
{
    private readonly List<Node> _parents = [];
    private int _ancestorLabel;
    private int _ancestorIndex;

    public Node Build(Node raw)
    {
        var node = Process(raw);
        MarkSimpleNames(node, []);
        if (node.Kind == NodeKind.Parent || node.SeekingParent is { Count: > 0 })
        {
            throw JsonataErrors.Create("S0217", "The object representing the 'parent' cannot be derived from this expression", node.Position, node.Kind.ToString().ToLowerInvariant());
        }

        return node;
    }

    private Node Process(Node expr)
    {
        var result = expr.Kind switch
        {
            NodeKind.Binary when expr.Op == "." => ProcessPath(expr),
            NodeKind.Binary => ProcessBinary(expr),
            NodeKind.Predicate => ProcessPredicate(expr),
            NodeKind.GroupBy => ProcessGroupBy(expr),
            NodeKind.SortRaw => ProcessSort(expr),
            NodeKind.Bind => ProcessBind(expr),
            NodeKind.Focus => ProcessFocus(expr),
            NodeKind.IndexBind => ProcessIndex(expr),
            NodeKind.Apply => ProcessApply(expr),
            NodeKind.Negate => ProcessNegate(expr),
            NodeKind.ArrayConstructor => ProcessArray(expr),
            NodeKind.ObjectConstructor => ProcessObject(expr),
            NodeKind.FunctionCall or NodeKind.PartialCall => ProcessCall(expr),
            NodeKind.Lambda => ProcessLambda(expr),
            NodeKind.Condition => ProcessCondition(expr),
            NodeKind.Transform => ProcessTransform(expr),
            NodeKind.Block => ProcessBlock(expr),
            NodeKind.Name => new Node(NodeKind.Path, expr.Position) { Steps = [expr], KeepSingletonArray = expr.KeepArray },
            NodeKind.Parent => ProcessParent(expr),
            _ => expr,
        };

        if (expr.KeepArray)
        {
            result.KeepArray = true;
        }

        return result;
    }

    private Node ProcessPath(Node expr)
    {
        var lstep = Process(expr.Lhs!);
        var result = lstep.Kind == NodeKind.Path ? lstep : new Node(NodeKind.Path, expr.Position) { Steps = [lstep] };
        if (lstep.Kind == NodeKind.Parent)
        {
            result.SeekingParent = [lstep.Slot!];
        }

        var rest = Process(expr.Rhs!);
        if (rest.Kind == NodeKind.Path)
        {
            result.Steps.AddRange(rest.Steps);
        }
        else
        {
            if (rest.Predicates is not null)
            {
                rest.Stages = rest.Predicates;
                rest.Predicates = null;
            }

            result.Steps.Add(rest);
        }

        foreach (var step in result.Steps)
        {
            if (step.Kind is NodeKind.Number or NodeKind.Value)
            {
                var text = step.Kind == NodeKind.Number ? Text.NumberText.Format(step.Number) : step.Text;
                throw JsonataErrors.Create("S0213", $"The literal value {text} cannot be used as a step within a path expression", step.Position, text);
            }

            if (step.Kind == NodeKind.String)
            {
                step.Kind = NodeKind.Name;
            }

            if (step.KeepArray)
            {
                result.KeepSingletonArray = true;
            }
        }

        var first = result.Steps[0];
        if (first.Kind == NodeKind.ArrayConstructor)
        {
            first.ConsArray = true;
        }

        var last = result.Steps[^1];
        if (last.Kind == NodeKind.ArrayConstructor)
        {
            last.ConsArray = true;
        }

        ResolveAncestry(result);
        return result;
    }

    private Node ProcessBinary(Node expr)
    {
        var result = new Node(NodeKind.Binary, expr.Position) { Op = expr.Op, Lhs = Process(expr.Lhs!), Rhs = Process(expr.Rhs!) };
        PushAncestry(result, result.Lhs);
        PushAncestry(result, result.Rhs);
        return result;
    }

    private Node ProcessPredicate(Node expr)
    {
        var result = Process(expr.Lhs!);
        var step = result;
        var isStages = false;
        if (result.Kind == NodeKind.Path)
        {
            step = result.Steps[^1];
            isStages = true;
        }

        if (step.Group is not null)
        {
            throw JsonataErrors.Create("S0209", "A predicate cannot follow a grouping expression in a step", expr.Position);
        }

        var predicate = Process(expr.Rhs!);
        if (predicate.SeekingParent is not null)
        {
            foreach (var slot in predicate.SeekingParent)
            {
                if (slot.Level == 1)
                {
                    SeekParent(step, slot);
                }
                else
                {
                    slot.Level--;
                }
            }

            PushAncestry(step, predicate);
        }

        var stage = new Stage(predicate, null, expr.Position);
        if (isStages)
        {
            (step.Stages ??= []).Add(stage);
        }
        else
        {
            (step.Predicates ??= []).Add(stage);
        }

        return result;
    }

    private Node ProcessGroupBy(Node expr)
    {
        var result = Process(expr.Lhs!);
        if (result.Group is not null)
        {
            throw JsonataErrors.Create("S0210", "Each step can only have one grouping expression", expr.Position);
        }

        result.Group = new GroupSpec(ProcessPairs(expr.Pairs, result), expr.Position);
        return result;
    }

    private Node ProcessSort(Node expr)
    {
        var result = Process(expr.Lhs!);
        if (result.Kind != NodeKind.Path)
        {
            result = new Node(NodeKind.Path, expr.Position) { Steps = [result] };
        }

        var sort = new Node(NodeKind.Sort, expr.Position);
        foreach (var term in expr.Terms)
        {
            var expression = Process(term.Expression);
            PushAncestry(sort, expression);
            sort.Terms.Add(new SortTerm(expression, term.Descending));
        }

        result.Steps.Add(sort);
        ResolveAncestry(result);
        return result;
    }

    private Node ProcessBind(Node expr)
    {
        var result = new Node(NodeKind.Bind, expr.Position) { Lhs = Process(expr.Lhs!), Rhs = Process(expr.Rhs!) };
        PushAncestry(result, result.Rhs);
        return result;
    }

    private Node ProcessFocus(Node expr)
    {
        var result = Process(expr.Lhs!);
        var step = result.Kind == NodeKind.Path ? result.Steps[^1] : result;
        if (step.Stages is not null || step.Predicates is not null)
        {
            throw JsonataErrors.Create("S0215", "A context variable binding must precede any predicates on a step", expr.Position, "@");
        }

        if (step.Kind == NodeKind.Sort)
        {
            throw JsonataErrors.Create("S0216", "A context variable binding must precede the 'order-by' clause on a step", expr.Position, "@");
        }

        if (expr.KeepArray)
        {
            step.KeepArray = true;
        }

        step.Focus = expr.Rhs!.Text;
        step.Tuple = true;
        return result;
    }

    private Node ProcessIndex(Node expr)
    {
        var result = Process(expr.Lhs!);
        Node step;
        if (result.Kind == NodeKind.Path)
        {
            step = result.Steps[^1];
        }
        else
        {
            step = result;
            result = new Node(NodeKind.Path, expr.Position) { Steps = [step] };
            if (step.Predicates is not null)
            {
                step.Stages = step.Predicates;
                step.Predicates = null;
            }
        }

        if (step.Stages is null)
        {
            step.IndexVariable = expr.Rhs!.Text;
        }
        else
        {
            step.Stages.Add(new Stage(null, expr.Rhs!.Text, expr.Position));
        }

        step.Tuple = true;
        return result;
    }

    private Node ProcessApply(Node expr)
    {
        var result = new Node(NodeKind.Apply, expr.Position) { Op = expr.Op, Lhs = Process(expr.Lhs!), Rhs = Process(expr.Rhs!) };
        result.KeepArray = result.Lhs.KeepArray || result.Rhs.KeepArray;
        PushAncestry(result, result.Lhs);
        PushAncestry(result, result.Rhs);
        return result;
    }

    private Node ProcessNegate(Node expr)
    {
        var operand = Process(expr.Expression!);
        if (operand.Kind == NodeKind.Number)
        {
            operand.Number = -operand.Number;
            return operand;
        }

        var result = new Node(NodeKind.Negate, expr.Position) { Expression = operand };
        PushAncestry(result, operand);
        return result;
    }

    private Node ProcessArray(Node expr)
    {
        var result = new Node(NodeKind.ArrayConstructor, expr.Position);
        foreach (var item in expr.Items)
        {
            var value = Process(item);
            PushAncestry(result, value);
            result.Items.Add(value);
        }

        return result;
    }

    private Node ProcessObject(Node expr)
    {
        var result = new Node(NodeKind.ObjectConstructor, expr.Position);
        result.Pairs = ProcessPairs(expr.Pairs, result);
        return result;
    }

    private List<KeyValuePair<Node, Node>> ProcessPairs(List<KeyValuePair<Node, Node>> pairs, Node owner)
    {
        var processed = new List<KeyValuePair<Node, Node>>(pairs.Count);
        foreach (var pair in pairs)
        {
            var key = Process(pair.Key);
            PushAncestry(owner, key);
            var value = Process(pair.Value);
            PushAncestry(owner, value);
            processed.Add(new(key, value));
        }

        return processed;
    }

    private Node ProcessCall(Node expr)
    {
        var result = new Node(expr.Kind, expr.Position);
        foreach (var arg in expr.Arguments)
        {
            var processed = Process(arg);
            PushAncestry(result, processed);
            result.Arguments.Add(processed);
        }

        result.Procedure = Process(expr.Procedure!);
        return result;
    }

    private Node ProcessLambda(Node expr)
    {
        var result = new Node(NodeKind.Lambda, expr.Position) { Arguments = expr.Arguments, Signature = expr.Signature };
        result.Body = TailCall(Process(expr.Body!));
        return result;
    }

    /// <summary>A call in tail position becomes a thunk that the caller's trampoline runs, so tail recursion does not grow the stack.</summary>
    private static Node TailCall(Node expr)
    {
        if (expr.Kind == NodeKind.FunctionCall && expr.Predicates is null)
        {
            return new Node(NodeKind.Lambda, expr.Position) { Thunk = true, Body = expr };
        }

        if (expr.Kind == NodeKind.Condition)
        {
            expr.Then = TailCall(expr.Then!);
            if (expr.Else is not null)
            {
                expr.Else = TailCall(expr.Else);
            }
        }
        else if (expr.Kind == NodeKind.Block && expr.Items.Count > 0)
        {
            expr.Items[^1] = TailCall(expr.Items[^1]);
        }

        return expr;
    }

    private Node ProcessCondition(Node expr)
    {
        var result = new Node(NodeKind.Condition, expr.Position) { Condition = Process(expr.Condition!), Then = Process(expr.Then!) };
        PushAncestry(result, result.Condition);
        PushAncestry(result, result.Then);
        if (expr.Else is not null)
        {
            result.Else = Process(expr.Else);
            PushAncestry(result, result.Else);
        }

        return result;
    }

    private Node ProcessTransform(Node expr) => new(NodeKind.Transform, expr.Position)
    {
        PatternExpr = Process(expr.PatternExpr!),
        Update = Process(expr.Update!),
        Delete = expr.Delete is null ? null : Process(expr.Delete),
    };

    private Node ProcessBlock(Node expr)
    {
        var result = new Node(NodeKind.Block, expr.Position);
        foreach (var item in expr.Items)
        {
            var part = Process(item);
            PushAncestry(result, part);
            if (part.ConsArray || (part.Kind == NodeKind.Path && part.Steps[0].ConsArray))
            {
                result.ConsArray = true;
            }

            result.Items.Add(part);
        }

        return result;
    }

    private Node ProcessParent(Node expr)
    {
        var result = new Node(NodeKind.Parent, expr.Position)
        {
            Slot = new Slot("!" + _ancestorLabel++, 1, _ancestorIndex++),
        };
        _parents.Add(result);
        return result;
    }
}
