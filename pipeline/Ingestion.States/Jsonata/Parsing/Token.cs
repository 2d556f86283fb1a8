namespace Ingestion.States.Jsonata.Parsing;

internal enum TokenKind
{
    End,
    Operator,
    Name,
    Variable,
    String,
    Number,
    Value,
    Regex,
}

/// <summary>A lexical token; <see cref="Position"/> is the offset just past it, as jsonata-js reports positions.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position, double Number = 0, object? Literal = null, string? Flags = null)
{
    public bool IsOperator(string op) => Kind == TokenKind.Operator && Text == op;
}
