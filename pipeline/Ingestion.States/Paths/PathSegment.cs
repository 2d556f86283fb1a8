namespace Ingestion.States.Paths;

/// <summary>One step of a JSONPath: the closed set of selectors AWS's dialect allows.</summary>
internal abstract record PathSegment
{
    private PathSegment()
    {
    }

    /// <summary>True when the step selects at most one node (what reference paths allow).</summary>
    public virtual bool IsSingleNode => false;

    /// <summary><c>.name</c> or <c>['name']</c>.</summary>
    public sealed record Child(string Name) : PathSegment
    {
        public override bool IsSingleNode => true;
    }

    /// <summary><c>[3]</c>; a negative index counts from the end, as Jayway (AWS's JSONPath engine) does.</summary>
    public sealed record Index(int Value) : PathSegment
    {
        public override bool IsSingleNode => true;
    }

    /// <summary><c>[start:end:step]</c>, Python-style bounds.</summary>
    public sealed record Slice(int? Start, int? End, int? Step) : PathSegment;

    /// <summary><c>.*</c> or <c>[*]</c>: every member or element.</summary>
    public sealed record Wildcard : PathSegment;

    /// <summary><c>['a','b']</c> or <c>[0,2]</c>.</summary>
    public sealed record Union(PathSegment[] Parts) : PathSegment;

    /// <summary><c>..</c> followed by a selector: that selector applied at every depth.</summary>
    public sealed record Descendants(PathSegment Selector) : PathSegment;

    /// <summary><c>[?(expression)]</c>.</summary>
    public sealed record Filter(FilterExpression Expression) : PathSegment;
}
