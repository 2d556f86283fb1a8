namespace Ingestion.States.Jsonata.Ast;

/// <summary>What a syntax node is; the parser's raw forms and the built tree share the set.</summary>
internal enum NodeKind
{
    Path,
    Binary,
    Negate,
    ArrayConstructor,
    ObjectConstructor,
    Name,
    String,
    Number,
    Value,
    Wildcard,
    Descendant,
    Parent,
    Condition,
    Block,
    Bind,
    Regex,
    FunctionCall,
    PartialCall,
    Lambda,
    Variable,
    Apply,
    Transform,
    Sort,
    Placeholder,

    // Raw forms that exist only between parsing and building.
    Predicate,
    GroupBy,
    SortRaw,
    Focus,
    IndexBind,
}
