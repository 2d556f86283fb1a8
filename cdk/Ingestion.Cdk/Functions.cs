using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using LambdaFunction = Amazon.CDK.AWS.Lambda.Function;

namespace Ingestion.Cdk;

/// <summary>The four Lambda functions of handlers/README.md, each with its own role and log group.</summary>
/// <remarks>
/// Custom runtime <c>provided.al2023</c> on arm64 (Graviton is cheaper): one Native AOT <c>bootstrap</c> serves the
/// four functions, and the handler setting is the function's name (handlers/Ingestion.Functions.Bootstrap). The
/// managed <c>dotnet10</c> runtime cannot load our handlers: it needs Amazon.Lambda.Core, which is not available. Each role is written out by hand: no AWSLambdaBasicExecutionRole (it may write to every log group), only
/// the function's own log group and the calls handlers/README.md describes. Lambda functions are not actively traced:
/// that needs <c>xray:PutTraceSegments</c> on <c>*</c>, and the state machines' X-Ray traces already time every invoke.
/// </remarks>
internal sealed class Functions : Construct
{
    private readonly Code _code;
    private readonly Dictionary<string, string> _environment;

    public Functions(Construct scope, string id, Code code, Storage storage)
        : base(scope, id)
    {
        _code = code;
        // One configuration for all four (handlers/README.md, Configuration): what each may do is decided by its role.
        _environment = new Dictionary<string, string>
        {
            ["INGEST_STORE"] = "dynamodb",
            ["INGEST_OBJECTS"] = "s3",
            ["STUDENTS_TABLE"] = storage.Students.TableName,
            ["FILES_TABLE"] = storage.Files.TableName,
            ["POWERTOOLS_SERVICE_NAME"] = Telemetry.ServiceName,
            ["POWERTOOLS_METRICS_NAMESPACE"] = Telemetry.Namespace,
            ["POWERTOOLS_LOG_LEVEL"] = "INFO",
        };

        var bucket = storage.Bucket;

        RegisterFile = Create("RegisterFile", memoryMb: 256, Duration.Seconds(30),
        [
            // Head of the uploaded object (the S3 adapter's HeadObject).
            Iam.Allow("HeadIncomingObjects", ["s3:GetObject", "s3:GetObjectVersion"], [storage.ObjectsUnder(Storage.Incoming)]),
            TellMissingObjects(bucket.BucketArn),
            // The ledger adapter reads an entry and writes it back with a conditional PutItem.
            Iam.Allow("RegisterInLedger", ["dynamodb:GetItem", "dynamodb:PutItem"], [storage.Files.TableArn]),
            // Whether an older version of the same key is still in progress or failed (file.olderPending): one
            // Query of the key's history. Listing incoming/ for older files needs no more than TellMissingObjects.
            Iam.Allow("ReadKeyHistory", ["dynamodb:Query"], [$"{storage.Files.TableArn}/index/{Storage.KeyHistoryIndex}"]),
        ]);

        // ValidateStudents and StoreStudents run inside the Distributed Map's EXPRESS child workflow, which AWS stops at
        // five minutes: every attempt of every state of the child (the definition's TimeoutSeconds, retries and
        // backoff) must fit, and a function must time out no later than the task that invokes it. A batch takes
        // seconds; ExpressChildBudgetTests checks the sum.

        // Pure function of its input: logs only.
        ValidateStudents = Create("ValidateStudents", memoryMb: 512, Duration.Seconds(20), []);

        StoreStudents = Create("StoreStudents", memoryMb: 1024, Duration.Seconds(50),
        [
            // The store adapter reads a batch's stored versions (BatchGetItem), writes the changed students with
            // conditional PutItems, sets the seen marker of unchanged ones with conditional UpdateItems (only while
            // an older export is outstanding), and re-reads one student (GetItem) when a condition fails.
            Iam.Allow("StoreStudentRecords",
                ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                [storage.Students.TableArn]),
        ]);

        // Reads every result file of a run (thousands of batches for a large export): the most time Lambda allows. The
        // rejected and failed records, the rejections CSV and the report are composed in /tmp, not memory: about 400
        // bytes of disk a rejected record, so the most ephemeral storage Lambda gives (10 GiB) holds some 25 million.
        // Storage beyond the free 512 MB costs only while the function runs: a few seconds a file.
        SummarizeRun = Create("SummarizeRun", memoryMb: 1024, Duration.Minutes(15), ephemeralMb: 10240,
        [
            Iam.Allow("ReadMapResults", ["s3:GetObject"], [storage.ObjectsUnder(Storage.Results)]),
            // Also lists the run's result prefix, to find the newest manifest when the map failed.
            TellMissingObjects(bucket.BucketArn),
            Iam.Allow("WriteReports", ["s3:PutObject"], [storage.ObjectsUnder(Storage.Reports)]),
            // Moving the file: head it, copy exactly its version (GetObjectVersion) to archive/ or quarantine/, then
            // delete that version (DeleteObjectVersion; DeleteObject where the bucket has no version ids).
            Iam.Allow("MoveIncomingObjects",
                ["s3:GetObject", "s3:GetObjectVersion", "s3:DeleteObject", "s3:DeleteObjectVersion"],
                [storage.ObjectsUnder(Storage.Incoming)]),
            Iam.Allow("FileAwayObjects",
                ["s3:PutObject"],
                [storage.ObjectsUnder(Storage.Archive), storage.ObjectsUnder(Storage.Quarantine)]),
            Iam.Allow("CompleteInLedger", ["dynamodb:GetItem", "dynamodb:PutItem"], [storage.Files.TableArn]),
        ]);

        All = [RegisterFile, ValidateStudents, StoreStudents, SummarizeRun];
    }

    public LambdaFunction RegisterFile { get; }

    public LambdaFunction ValidateStudents { get; }

    public LambdaFunction StoreStudents { get; }

    public LambdaFunction SummarizeRun { get; }

    public IReadOnlyList<LambdaFunction> All { get; }

    /// <summary><c>s3:ListBucket</c> on the whole bucket, for the S3 adapter's missing-object answers.</summary>
    /// <remarks>
    /// Without ListBucket S3 answers a HEAD of a missing object with 403 instead of 404, and the adapter then lists the
    /// bucket (ListObjectsV2 without a prefix) to tell a missing bucket from a missing object. RegisterFile must report
    /// MISSING (already archived, or gone before the nightly sync reached it) and SummarizeRun must tell a file moved
    /// by an earlier attempt from a real failure. A prefix condition cannot narrow this: neither request carries
    /// <c>s3:prefix</c>. It reveals key names only, never content.
    /// </remarks>
    private static PolicyStatement TellMissingObjects(string bucketArn) =>
        Iam.Allow("TellMissingObjects", ["s3:ListBucket"], [bucketArn]);

    private LambdaFunction Create(string name, int memoryMb, Duration timeout, PolicyStatement[] grants) => Create(name, memoryMb, timeout, null, grants);

    /// <param name="ephemeralMb">The function's <c>/tmp</c>; null for Lambda's 512 MB.</param>
    private LambdaFunction Create(string name, int memoryMb, Duration timeout, int? ephemeralMb, PolicyStatement[] grants)
    {
        var logs = new LogGroup(this, name + "Logs", new LogGroupProps
        {
            Retention = RetentionDays.ONE_MONTH,
            // Generated name and DESTROY: a redeploy after deleting the stack must not collide with a kept group.
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        var role = new Role(this, name + "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = $"Ingestion {name} function: its log group and the calls handlers/README.md lists.",
        });
        role.AddAll([Iam.Allow("WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [logs.LogGroupArn]), .. grants]);

        return new LambdaFunction(this, name, new FunctionProps
        {
            Description = $"Ingestion {name} (handlers/README.md)",
            Runtime = Runtime.PROVIDED_AL2023,
            Architecture = Architecture.ARM_64,
            Handler = name,
            Code = _code,
            MemorySize = memoryMb,
            Timeout = timeout,
            EphemeralStorageSize = ephemeralMb is { } mb ? Size.Mebibytes(mb) : null,
            Role = role,
            LogGroup = logs,
            Environment = _environment,
        });
    }
}
