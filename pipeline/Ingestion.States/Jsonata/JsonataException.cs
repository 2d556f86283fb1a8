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

    /// <summary>
    /// Fills in the position and token from the innermost call that knows them. Always false, so it can run as an
    /// exception filter: catching and rethrowing at every level of a deep recursion would itself overflow the stack.
    /// </summary>
    internal bool Locate(int position, string? token)
    {
        if (!HasPosition)
        {
            Position = position;
        }

        Token ??= token;
        return false;
    }
}
