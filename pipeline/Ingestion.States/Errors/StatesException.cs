namespace Ingestion.States.Errors;

/// <summary>
/// The one exception the interpreter raises for a failure a state machine can see: it carries the
/// ASL error name (what <c>ErrorEquals</c> matches) and the cause (a human-readable string).
/// </summary>
public class StatesException : Exception
{
    public StatesException(string error, string cause)
        : base(cause)
    {
        Error = error;
        Cause = cause;
    }

    public StatesException(string error, string cause, Exception inner)
        : base(cause, inner)
    {
        Error = error;
        Cause = cause;
    }

    public string Error { get; }

    public string Cause { get; }

    public static StatesException Runtime(string cause) => new(StatesErrors.Runtime, cause);

    public static StatesException Intrinsic(string cause) => new(StatesErrors.IntrinsicFailure, cause);
}
