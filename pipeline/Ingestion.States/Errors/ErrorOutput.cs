using Ingestion.States.Json;

namespace Ingestion.States.Errors;

/// <summary>An error as a state machine sees it: the <c>{"Error", "Cause"}</c> pair.</summary>
internal readonly record struct ErrorOutput(string Error, string? Cause)
{
    /// <summary>
    /// The one mapping from any exception to the serialised error. A <see cref="StatesException"/>
    /// keeps its name; anything else is an unexpected failure of a task handler and is named by
    /// its type, as AWS names errors from SDK calls and functions.
    /// </summary>
    public static ErrorOutput From(Exception exception) => exception switch
    {
        StatesException states => new(states.Error, states.Cause),
        OperationCanceledException => new(StatesErrors.Timeout, exception.Message),
        _ => new(exception.GetType().Name, exception.Message),
    };

    /// <summary>The object a Catch stores at its ResultPath.</summary>
    public JObject ToJson()
    {
        var cause = Cause;
        return cause is null
            ? new JObject([new("Error", new JString(Error))])
            : new JObject([new("Error", new JString(Error)), new("Cause", new JString(cause))]);
    }
}
