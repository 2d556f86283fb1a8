using Ingestion.States.Jsonata.Ast;

namespace Ingestion.States.Jsonata.Parsing;

/// <summary>Marks shapes the evaluator can take a shorter route through, once the tree is final.</summary>
internal sealed partial class TreeBuilder
{
    /// <summary>Flags single-name paths for the evaluator's fast path, visiting each node once.</summary>
    private static void MarkSimpleNames(Node? node, HashSet<Node> seen)
    {
        if (node is null || !seen.Add(node))
        {
            return;
        }

        if (node.Kind == NodeKind.Path && node.Steps.Count == 1)
        {
            var step = node.Steps[0];
            node.IsSimpleName = step.Kind == NodeKind.Name && step.Stages is null && step.Predicates is null && !step.Tuple
                && step.Focus is null && step.IndexVariable is null && step.Ancestor is null && step.Group is null && !step.KeepArray
                && node.Group is null && !node.KeepSingletonArray && !node.Tuple && node.Predicates is null;
        }

        foreach (var child in new[] { node.Lhs, node.Rhs, node.Expression, node.Condition, node.Then, node.Else, node.Procedure, node.Body, node.Update, node.Delete, node.PatternExpr })
        {
            MarkSimpleNames(child, seen);
        }

        foreach (var child in node.Items.Concat(node.Steps).Concat(node.Arguments))
        {
            MarkSimpleNames(child, seen);
        }

        foreach (var (key, value) in node.Pairs.Concat(node.Group?.Pairs ?? []))
        {
            MarkSimpleNames(key, seen);
            MarkSimpleNames(value, seen);
        }

        foreach (var stage in (node.Stages ?? []).Concat(node.Predicates ?? []))
        {
            MarkSimpleNames(stage.Filter, seen);
        }

        foreach (var term in node.Terms)
        {
            MarkSimpleNames(term.Expression, seen);
        }
    }
}
