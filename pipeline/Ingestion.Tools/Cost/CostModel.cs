using Ingestion.Storage.Aws.DynamoDb;

namespace Ingestion.Tools.Cost;

/// <summary>
/// Counts what one run of a file bills on AWS, line by line, for the deployed design (batches of EXPRESS children)
/// and for the naive one (a STANDARD child per student, three Lambda invocations, one PutItem and one Publish per
/// student), and prices both with <see cref="ListPrices"/>.
/// </summary>
/// <remarks>
/// What the definition decides (batch size, states, invocations, the PublishBatch partition) comes from
/// <see cref="DeployedShape"/>; what the handlers do per outcome follows the DynamoDB store
/// (<see cref="DynamoDbStudentStore"/>: a strongly consistent BatchGetItem of every valid student, a conditional
/// PutItem per created or updated one, nothing for unchanged ones); durations and sizes come from
/// <see cref="CostAssumptions"/>. The README's "Cost on AWS" section writes the formulas out.
/// </remarks>
public static class CostModel
{
    private const double BytesPerGb = 1L << 30;
    private const int SnsChunkBytes = 64 * 1024;

    /// <summary>The naive design's children: validate, store, notify.</summary>
    private const int NaiveChildStates = 3;

    /// <summary>The naive design's notifier: a function like ValidateStudents.</summary>
    private static readonly LambdaFunction NaiveNotify = new("NotifyStudent", DeployedFunctions.ValidateStudents.MemoryMb);

    /// <summary>Global secondary indexes every students-table write also writes (the Department index, all attributes projected).</summary>
    private static readonly int StudentIndexes = DynamoDbSchema.StudentsTableRequest().GlobalSecondaryIndexes.Count;

    /// <summary>The ledger's indexes, likewise.</summary>
    private static readonly int LedgerIndexes = DynamoDbSchema.FilesTableRequest().GlobalSecondaryIndexes.Count;

    /// <summary>S3 calls the handlers make per run: RegisterFile heads the object; SummarizeRun gets the manifest and the result file and heads the object (GET class), puts the report and copies the file to archive/ (PUT class; the delete is free).</summary>
    private const int HandlerS3Gets = 4;

    /// <summary>The report, the archive copy, and RegisterFile's listing of incoming/ for older exports (LIST is PUT class).</summary>
    private const int HandlerS3Puts = 3;

    /// <summary>
    /// Ledger calls per run: RegisterFile and SummarizeRun each read the entry and write it back, and RegisterFile
    /// queries the key's history for an older version outstanding (a page of small items: about one read).
    /// </summary>
    private const int LedgerReads = 3;

    private const int LedgerWrites = 2;

    public static CostEstimate Estimate(CostScenario scenario, DeployedShape shape, CostAssumptions assumptions)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(assumptions);
        if (scenario.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(scenario));
        }

        var a = assumptions;
        var n = scenario.Students;
        var batches = shape.BatchesFor(n);
        var perBatch = (double)n / batches;
        var validPerBatch = (double)scenario.Valid / batches;
        var writtenPerBatch = (double)scenario.Written / batches;

        // Ours, one child: validate, store (one BatchGetItem round, chunks in parallel, then the writes 16 at a time),
        // then the PublishBatch calls, a few at a time.
        var validate = DeployedFunctions.ValidateStudents;
        var store = DeployedFunctions.StoreStudents;
        var validateMs = a.ValidateMsOverride ?? BilledMs(perBatch * a.Handlers.ValidateMicrosPerStudent * validate.CpuSlowdown / 1000);
        var storeMs = a.StoreMsOverride ?? BilledMs(
            validPerBatch * a.Handlers.StoreMicrosPerStudent * store.CpuSlowdown / 1000
            + a.DynamoDbRequestMs * ((validPerBatch > 0 ? 1 : 0) + Math.Ceiling(writtenPerBatch / CostAssumptions.ParallelWrites)));
        var publishCallsPerBatch = shape.PublishBatchSize > 0 ? Math.Ceiling(writtenPerBatch / shape.PublishBatchSize) : 0;
        var publishRounds = shape.PublishConcurrency > 0 ? Math.Ceiling(publishCallsPerBatch / shape.PublishConcurrency) : publishCallsPerBatch;
        var childMs = validateMs + storeMs + publishRounds * a.SnsRequestMs + shape.ChildStates * a.StateOverheadMs;
        var childBilledMs = Math.Ceiling(childMs / 100) * 100;
        var summarizeMs = a.SummarizeRunMs + a.SummarizeRunMsPerBatch * batches;

        // Naive, one child per student.
        var naiveValidateMs = BilledMs(a.Handlers.ValidateMicrosPerStudent * validate.CpuSlowdown / 1000);
        var naiveStoreMs = BilledMs(a.Handlers.StoreMicrosPerStudent * store.CpuSlowdown / 1000 + a.DynamoDbRequestMs);
        var naiveNotifyMs = BilledMs(a.SnsRequestMs);

        var lines = new List<CostLine>();

        // Step Functions.
        var oursTransitions = shape.ParentStates + batches + (shape.ExpressChildren ? 0 : batches * shape.ChildStates);
        var naiveTransitions = shape.ParentStates + n + n * NaiveChildStates;
        lines.Add(new CostLine(ListPrices.StandardTransition, oursTransitions, naiveTransitions,
            shape.ExpressChildren
                ? $"{shape.ParentStates} parent states + {Count(batches)} child starts (EXPRESS children: no transitions)"
                : $"{shape.ParentStates} parent states + {Count(batches)} child starts + {shape.ChildStates} states a child",
            $"{shape.ParentStates} parent states + {Count(n)} child starts + {NaiveChildStates} states a child"));
        var expressRequests = shape.ExpressChildren ? batches * shape.ExecutionsPerBatch : 0;
        lines.Add(new CostLine(ListPrices.ExpressRequest, expressRequests, 0,
            !shape.ExpressChildren ? "STANDARD children"
                : shape.ExecutionsPerBatch == 1 ? $"one per batch of {shape.BatchSize}"
                : $"{shape.ExecutionsPerBatch} per batch of {shape.BatchSize} (the map's child and the ProcessBatch it runs)", "STANDARD children"));
        var expressGbSeconds = expressRequests * childBilledMs / 1000 * a.ExpressMemoryMb / 1024.0;
        lines.Add(new CostLine(ListPrices.ExpressDuration, expressGbSeconds, 0,
            $"{Count(expressRequests)} x {childBilledMs:0} ms x {a.ExpressMemoryMb} MB", "STANDARD children"));

        // Lambda.
        var oursInvocations = batches * shape.ChildLambdaInvokes + shape.ParentLambdaInvokes;
        var naiveInvocations = n + 2 * scenario.Valid + shape.ParentLambdaInvokes;
        lines.Add(new CostLine(ListPrices.LambdaRequest, oursInvocations, naiveInvocations,
            $"{shape.ChildLambdaInvokes} a batch + {shape.ParentLambdaInvokes} a run",
            $"validate each student, store and notify each valid one, + {shape.ParentLambdaInvokes} a run"));
        var childInstances = shape.MaxConcurrency > 0 ? Math.Min(batches, shape.MaxConcurrency) : batches;
        var naiveInstances = shape.MaxConcurrency > 0 ? Math.Min(n, shape.MaxConcurrency) : n;
        var parentGbSeconds = Seconds(a.RegisterFileMs) * DeployedFunctions.RegisterFile.MemoryGb
            + Seconds(summarizeMs) * DeployedFunctions.SummarizeRun.MemoryGb
            + Seconds(a.ColdStartMs) * (DeployedFunctions.RegisterFile.MemoryGb + DeployedFunctions.SummarizeRun.MemoryGb);
        var oursGbSeconds = batches * (Seconds(validateMs) * validate.MemoryGb + Seconds(storeMs) * store.MemoryGb)
            + childInstances * Seconds(a.ColdStartMs) * (validate.MemoryGb + store.MemoryGb)
            + parentGbSeconds;
        var naiveGbSeconds = n * Seconds(naiveValidateMs) * validate.MemoryGb
            + scenario.Valid * (Seconds(naiveStoreMs) * store.MemoryGb + Seconds(naiveNotifyMs) * NaiveNotify.MemoryGb)
            + naiveInstances * Seconds(a.ColdStartMs) * (validate.MemoryGb + store.MemoryGb + NaiveNotify.MemoryGb)
            + parentGbSeconds;
        lines.Add(new CostLine(ListPrices.LambdaArmDuration, oursGbSeconds, naiveGbSeconds,
            $"{Count(batches)} x ({validateMs:0} ms x {validate.MemoryMb} MB + {storeMs:0} ms x {store.MemoryMb} MB) + {childInstances} cold starts each + parent",
            $"{naiveValidateMs:0} ms x {validate.MemoryMb} MB, {naiveStoreMs:0} ms x {store.MemoryMb} MB, {naiveNotifyMs:0} ms x {NaiveNotify.MemoryMb} MB per student + {naiveInstances} cold starts each + parent"));

        // DynamoDB: a write also writes the Department index; a department move writes it twice (delete and put).
        var studentWrite = CostAssumptions.WriteUnits(CostAssumptions.StudentItemBytes);
        var ledgerWrites = LedgerWrites * CostAssumptions.WriteUnits(a.LedgerItemBytes) * (1 + LedgerIndexes);
        var oursWru = scenario.Created * studentWrite * (1 + StudentIndexes)
            + scenario.Updated * studentWrite * (1 + 2 * StudentIndexes)
            + ledgerWrites;
        var naiveWru = (scenario.Created + scenario.Unchanged) * studentWrite * (1 + StudentIndexes)
            + scenario.Updated * studentWrite * (1 + 2 * StudentIndexes)
            + ledgerWrites;
        lines.Add(new CostLine(ListPrices.DynamoDbWrite, oursWru, naiveWru,
            $"{studentWrite} WRU a write + {StudentIndexes} a created student's index write, {2 * StudentIndexes} an updated one's (department moved); unchanged: none",
            $"every valid student rewritten: {studentWrite} WRU + index writes"));
        var ledgerReads = LedgerReads * CostAssumptions.ReadUnits(a.LedgerItemBytes);
        var oursRru = scenario.Valid * CostAssumptions.ReadUnits(CostAssumptions.StudentItemBytes) + ledgerReads;
        lines.Add(new CostLine(ListPrices.DynamoDbRead, oursRru, ledgerReads,
            "every valid student read first (strongly consistent BatchGetItem)", "no reads: blind PutItem"));

        // SNS: a PublishBatch call is billed per 64 KB chunk of its entries.
        var entriesPerCall = Math.Min(writtenPerBatch, shape.PublishBatchSize);
        var chunksPerCall = Math.Max(1, Math.Ceiling(entriesPerCall * a.NotificationBytes / SnsChunkBytes));
        var publishCalls = batches * publishCallsPerBatch;
        lines.Add(new CostLine(ListPrices.SnsRequest, publishCalls * chunksPerCall + shape.ParentPublishes, scenario.Valid + shape.ParentPublishes,
            $"PublishBatch of up to {shape.PublishBatchSize} created or updated students + {shape.ParentPublishes} summary",
            "one Publish per valid student + summary"));

        // CloudWatch Logs: the handlers' JSON lines and EMF documents, and Lambda's own lines.
        var parentLogBytes = a.ParentLogBytes + shape.ParentLambdaInvokes * a.PlatformLogBytes;
        var oursLogBytes = batches * (a.Handlers.ValidateLogBytes + a.Handlers.StoreLogBytes + shape.ChildLambdaInvokes * a.PlatformLogBytes) + parentLogBytes;
        var naiveLogBytes = n * (a.Handlers.ValidateLogBytes + a.PlatformLogBytes)
            + scenario.Valid * (a.Handlers.StoreLogBytes + a.Handlers.ValidateLogBytes + 2 * a.PlatformLogBytes)
            + parentLogBytes;
        lines.Add(new CostLine(ListPrices.LogsIngestion, oursLogBytes / BytesPerGb, naiveLogBytes / BytesPerGb,
            $"{a.Handlers.ValidateLogBytes + a.Handlers.StoreLogBytes + shape.ChildLambdaInvokes * a.PlatformLogBytes:N0} bytes a batch",
            $"about {a.Handlers.ValidateLogBytes + a.PlatformLogBytes:N0} bytes an invocation"));

        // S3.
        var s3Puts = shape.ResultWriterPuts + HandlerS3Puts;
        var s3Gets = shape.ItemReaderGets + shape.ParentObjectGets + HandlerS3Gets;
        lines.Add(new CostLine(ListPrices.S3Put, s3Puts, s3Puts, "result manifest and file, report, archive copy, incoming/ listed", "the same"));
        lines.Add(new CostLine(ListPrices.S3Get, s3Gets, s3Gets, "ItemReader, heads, manifest read for failed batches, results read back", "the same"));

        return new CostEstimate(scenario, shape, assumptions,
            new InvocationDurations(validateMs, storeMs, childBilledMs, naiveValidateMs, naiveStoreMs, naiveNotifyMs), lines);
    }

    /// <summary>Lambda bills whole milliseconds, and at least one.</summary>
    private static double BilledMs(double ms) => Math.Max(1, Math.Ceiling(ms));

    private static double Seconds(double ms) => ms / 1000;

    private static string Count(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
