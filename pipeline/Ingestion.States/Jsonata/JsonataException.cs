namespace Ingestion.States.Jsonata;

/// <summary>A JSONata compile or evaluation error, with jsonata-js's code (S0201, T2001, D3001…).</summary>
public sealed class JsonataException : Exception
{
    internal JsonataException(string code, string message, int position = -1, string? token = null)
        : base($"{code}: {message}")
    {
        Code = code;
        Position = position;
        Token = token;
    }

    /// <summary>The jsonata-js error code: S (syntax), T (type), D (dynamic), U (resource limit).</summary>
    public string Code { get; }

    /// <summary>The character offset the error was raised at, or -1 when unknown.</summary>
    public int Position { get; internal set; }

    /// <summary>The token or function name the error concerns, when there is one.</summary>
    public string? Token { get; internal set; }

    /// <summary>Whether the position was filled by the caller after the fact rather than where it was raised.</summary>
    internal bool HasPosition => Position >= 0;
}
