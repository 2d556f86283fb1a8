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

    /// <summary>
    /// True once the cause names the state it happened in (AWS's wording for States.Runtime), or the failure came
    /// out of a branch or iteration: a state that encloses it passes it on as it is.
    /// </summary>
    public bool IsLocated { get; private init; }

    /// <summary>The field of a JSONata state whose expression failed (<c>Output/a</c>), for the EvaluationFailed event.</summary>
    internal string? Location { get; init; }

    /// <summary>Set once the EvaluationFailed event of this failure is in the history, so enclosing states do not repeat it.</summary>
    internal bool EvaluationRecorded { get; set; }

    /// <summary>
    /// A States.Runtime failure as AWS reports it: "An error occurred while executing the state 'NAME' (entered at the
    /// event id #N). " before the cause, N being the id of the state's Entered event in the history.
    /// </summary>
    /// <remarks>A JSONata state's States.QueryEvaluationError is located the same way.</remarks>
    internal StatesException LocatedIn(string state, long enteredEventId) => IsLocated || Error is not (StatesErrors.Runtime or StatesErrors.QueryEvaluationError)
        ? this
        : new(Error, $"An error occurred while executing the state '{state}' (entered at the event id #{enteredEventId}). {Cause}", this)
        {
            IsLocated = true,
            Location = Location,
            EvaluationRecorded = EvaluationRecorded,
        };

    /// <summary>A failure passed on from a branch, an iteration or an attempt, kept as it was (a null cause stays null).</summary>
    internal static StatesException PassedOn(string error, string? cause) => new(error, cause!) { IsLocated = true };

    public static StatesException Runtime(string cause) => new(StatesErrors.Runtime, cause);

    public static StatesException Intrinsic(string cause) => new(StatesErrors.IntrinsicFailure, cause);
}
