using System.Text.RegularExpressions;
using Ingestion.States.Jsonata.Functions;

namespace Ingestion.States.Jsonata.Ast;

/// <summary>A syntax node. Filled in by the parser and the tree builder, never changed once built.</summary>
/// <remarks>
/// One class with optional parts rather than a type per kind: the tree builder rewrites nodes
/// (a name becomes a path step that gains stages, focus and ancestry labels) and the evaluator
/// switches over <see cref="Kind"/>, which keeps the hot dispatch a single jump.
/// </remarks>
internal sealed class Node
{
    public Node(NodeKind kind, int position)
    {
        Kind = kind;
        Position = position;
    }

    public NodeKind Kind { get; set; }

    /// <summary>The character offset just past the node's token, as jsonata-js reports it.</summary>
    public int Position { get; set; }

    /// <summary>The operator of a binary node.</summary>
    public string Op { get; set; } = string.Empty;

    /// <summary>A name, string literal or variable name.</summary>
    public string Text { get; set; } = string.Empty;

    public double Number { get; set; }

    /// <summary>The value of a literal true, false or null.</summary>
    public object? Literal { get; set; }

    public Regex? Pattern { get; set; }

    public Node? Lhs { get; set; }

    public Node? Rhs { get; set; }

    public Node? Expression { get; set; }

    /// <summary>Array constructor items, block expressions.</summary>
    public List<Node> Items { get; set; } = [];

    /// <summary>Object constructor or group-by key/value pairs.</summary>
    public List<KeyValuePair<Node, Node>> Pairs { get; set; } = [];

    public List<Node> Steps { get; set; } = [];

    /// <summary>Filters and index bindings of a path step.</summary>
    public List<Stage>? Stages { get; set; }

    /// <summary>Filters of a node that is not a path step.</summary>
    public List<Stage>? Predicates { get; set; }

    public GroupSpec? Group { get; set; }

    public List<SortTerm> Terms { get; set; } = [];

    public bool KeepArray { get; set; }

    public bool KeepSingletonArray { get; set; }

    public bool ConsArray { get; set; }

    public bool Tuple { get; set; }

    public string? Focus { get; set; }

    public string? IndexVariable { get; set; }

    public Slot? Ancestor { get; set; }

    public Slot? Slot { get; set; }

    public List<Slot>? SeekingParent { get; set; }

    public Node? Condition { get; set; }

    public Node? Then { get; set; }

    public Node? Else { get; set; }

    public Node? Procedure { get; set; }

    public List<Node> Arguments { get; set; } = [];

    public Signature? Signature { get; set; }

    public Node? Body { get; set; }

    public bool Thunk { get; set; }

    public Node? Update { get; set; }

    public Node? Delete { get; set; }

    public Node? PatternExpr { get; set; }

    /// <summary>A path of one plain field name: no stages, bindings, grouping or array keeping. Set once built.</summary>
    public bool IsSimpleName { get; set; }
}

/// <summary>One filter or index binding applied to a step's results.</summary>
internal sealed record Stage(Node? Filter, string? IndexVariable, int Position);

/// <summary>The pairs of a group-by <c>{…}</c> applied after a step.</summary>
internal sealed record GroupSpec(List<KeyValuePair<Node, Node>> Pairs, int Position);

internal sealed record SortTerm(Node Expression, bool Descending);

/// <summary>The binding a parent operator <c>%</c> reads, resolved to a path step while building.</summary>
internal sealed class Slot
{
    public Slot(string label, int level, int index)
    {
        Label = label;
        Level = level;
        Index = index;
    }

    public string Label { get; set; }

    public int Level { get; set; }

    public int Index { get; }
}
