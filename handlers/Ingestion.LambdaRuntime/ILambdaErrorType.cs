namespace Ingestion.LambdaRuntime;

/// <summary>Lets an exception choose the error name Lambda reports (by default, the exception's type name).</summary>
/// <remarks>
/// Step Functions sees this name as the task's error: <c>Retry</c> and <c>Catch</c> match on it
/// (<c>"ErrorEquals": ["FileRejectedException"]</c>).
/// </remarks>
public interface ILambdaErrorType
{
    /// <summary>The <c>errorType</c> sent to Lambda, e.g. <c>IngestionException</c>.</summary>
    string ErrorType { get; }
}
