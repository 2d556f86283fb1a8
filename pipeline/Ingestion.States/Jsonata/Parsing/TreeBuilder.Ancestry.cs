using Ingestion.States.Jsonata.Ast;
using Ingestion.States.Jsonata.Evaluation;

namespace Ingestion.States.Jsonata.Parsing;

/// <summary>Ties each parent operator to the step whose input it names, by walking back through the path's steps.</summary>
internal sealed partial class TreeBuilder
{
    private Slot SeekParent(Node node, Slot slot)
    {
        switch (node.Kind)
        {
            case NodeKind.Name or NodeKind.Wildcard:
                slot.Level--;
                if (slot.Level == 0)
                {
                    if (node.Ancestor is not null)
                    {
                        // Two parent operators resolve to this step: they share its label.
                        _parents[slot.Index].Slot!.Label = node.Ancestor.Label;
                    }

                    node.Ancestor = slot;
                    node.Tuple = true;
                }

                break;
            case NodeKind.Parent:
                slot.Level++;
                break;
            case NodeKind.Block:
                if (node.Items.Count > 0)
                {
                    node.Tuple = true;
                    slot = SeekParent(node.Items[^1], slot);
                }

                break;
            case NodeKind.Path:
                node.Tuple = true;
                var index = node.Steps.Count - 1;
                slot = SeekParent(node.Steps[index--], slot);
                while (slot.Level > 0 && index >= 0)
                {
                    slot = SeekParent(node.Steps[index--], slot);
                }

                break;
            default:
                throw JsonataErrors.Create("S0217", "The object representing the 'parent' cannot be derived from this expression", node.Position, node.Kind.ToString().ToLowerInvariant());
        }

        return slot;
    }

    private static void PushAncestry(Node result, Node value)
    {
        if (value.SeekingParent is null && value.Kind != NodeKind.Parent)
        {
            return;
        }

        var slots = value.SeekingParent ?? [];
        if (value.Kind == NodeKind.Parent)
        {
            slots.Add(value.Slot!);
        }

        if (result.SeekingParent is null)
        {
            result.SeekingParent = slots;
        }
        else
        {
            result.SeekingParent.AddRange(slots);
        }
    }

    private void ResolveAncestry(Node path)
    {
        var last = path.Steps[^1];
        var slots = last.SeekingParent ?? [];
        if (last.Kind == NodeKind.Parent)
        {
            slots.Add(last.Slot!);
        }

        foreach (var original in slots)
        {
            var slot = original;
            var index = path.Steps.Count - 2;
            while (slot.Level > 0)
            {
                if (index < 0)
                {
                    (path.SeekingParent ??= []).Add(slot);
                    break;
                }

                var step = path.Steps[index--];

                // Consecutive steps that bind the focus act as one step.
                while (index >= 0 && step.Focus is not null && path.Steps[index].Focus is not null)
                {
                    step = path.Steps[index--];
                }

                slot = SeekParent(step, slot);
            }
        }
    }
}
