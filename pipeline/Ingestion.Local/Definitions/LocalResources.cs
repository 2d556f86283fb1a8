namespace Ingestion.Local.Definitions;

/// <summary>
/// The names and ARNs the local runtime gives the resources a definition names through <c>${Placeholders}</c>:
/// what the CDK app substitutes with the deployed ones, the local runtime substitutes with these.
/// </summary>
public sealed record LocalResources(string Region = LocalResources.DefaultRegion, string AccountId = LocalResources.DefaultAccountId)
{
    public const string DefaultRegion = "us-east-1";

    /// <summary>AWS's documentation account: an ARN that can never be mistaken for a real one.</summary>
    public const string DefaultAccountId = "123456789012";

    /// <summary>The local bucket: folder <c>&lt;data&gt;/s3/ingestion/</c>.</summary>
    public const string BucketName = "ingestion";

    /// <summary>The bucket files arrive in: <see cref="BucketName"/>, unless an S3 run names another (<c>ingest run --bucket</c>).</summary>
    public string Bucket { get; init; } = BucketName;

    public const string IngestFileName = "IngestFile";
    public const string NightlySyncName = "NightlySync";
    public const string ProcessBatchName = "ProcessBatch";

    public const string RegisterFile = "RegisterFile";
    public const string ValidateStudents = "ValidateStudents";
    public const string StoreStudents = "StoreStudents";
    public const string SummarizeRun = "SummarizeRun";

    public const string StudentEvents = "StudentEvents";
    public const string AdminAlerts = "AdminAlerts";

    public string FunctionArn(string name) => $"arn:aws:lambda:{Region}:{AccountId}:function:{name}";

    public string TopicArn(string name) => $"arn:aws:sns:{Region}:{AccountId}:{name}";

    /// <summary>The ARN the interpreter gives a state machine of this name (see <c>StatesEngine.StateMachineArn</c>).</summary>
    public string StateMachineArn(string name) => $"arn:aws:states:{Region}:{AccountId}:stateMachine:{name}";

    public string StudentEventsTopicArn => TopicArn(StudentEvents);

    public string AdminAlertsTopicArn => TopicArn(AdminAlerts);

    /// <summary>Every placeholder of <c>pipeline/definitions/*</c> with its local value.</summary>
    public IReadOnlyDictionary<string, string> Substitutions => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["RegisterFileFunctionArn"] = FunctionArn(RegisterFile),
        ["ValidateStudentsFunctionArn"] = FunctionArn(ValidateStudents),
        ["StoreStudentsFunctionArn"] = FunctionArn(StoreStudents),
        ["SummarizeRunFunctionArn"] = FunctionArn(SummarizeRun),
        ["StudentEventsTopicArn"] = StudentEventsTopicArn,
        ["AdminAlertsTopicArn"] = AdminAlertsTopicArn,
        ["BucketName"] = Bucket,
        ["IngestFileStateMachineArn"] = StateMachineArn(IngestFileName),
        ["ProcessBatchStateMachineArn"] = StateMachineArn(ProcessBatchName),
    };
}
