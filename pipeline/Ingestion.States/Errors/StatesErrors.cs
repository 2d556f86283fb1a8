namespace Ingestion.States.Errors;

/// <summary>The error names the States Language reserves, spelled as AWS spells them.</summary>
public static class StatesErrors
{
    public const string All = "States.ALL";
    public const string TaskFailed = "States.TaskFailed";
    public const string Timeout = "States.Timeout";
    public const string HeartbeatTimeout = "States.HeartbeatTimeout";
    public const string Permissions = "States.Permissions";
    public const string ResultPathMatchFailure = "States.ResultPathMatchFailure";
    public const string ParameterPathFailure = "States.ParameterPathFailure";
    public const string QueryEvaluationError = "States.QueryEvaluationError";
    public const string BranchFailed = "States.BranchFailed";
    public const string NoChoiceMatched = "States.NoChoiceMatched";
    public const string IntrinsicFailure = "States.IntrinsicFailure";
    public const string ExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold";
    public const string ItemReaderFailed = "States.ItemReaderFailed";
    public const string ResultWriterFailed = "States.ResultWriterFailed";
    public const string Runtime = "States.Runtime";
    public const string DataLimitExceeded = "States.DataLimitExceeded";

    /// <summary>
    /// Errors that <c>States.ALL</c> and <c>States.TaskFailed</c> never match: AWS documents
    /// States.Runtime and States.DataLimitExceeded as terminal, so only an explicit name catches them.
    /// </summary>
    public static bool IsTerminal(string error) => error is Runtime or DataLimitExceeded;
}
