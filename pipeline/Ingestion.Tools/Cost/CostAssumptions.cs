using System.Text;
using Ingestion.Storage.Aws.DynamoDb;
using A = Ingestion.Storage.Aws.DynamoDb.DynamoDbSchema.Student;

namespace Ingestion.Tools.Cost;

/// <summary>
/// The figures the estimate needs that neither the definition nor a price list gives: how long things take and how
/// big they are. Each says where it comes from; <c>ingest cost --measure</c> replaces the measured ones.
/// </summary>
/// <param name="Handlers">ValidateStudents' and StoreStudents' own time and log volume per batch (measured).</param>
/// <param name="HandlersSource">How <paramref name="Handlers"/> was obtained.</param>
/// <param name="DynamoDbRequestMs">One DynamoDB request's round trip from Lambda (assumed: single-digit milliseconds in-region).</param>
/// <param name="SnsRequestMs">One SNS Publish or PublishBatch round trip (assumed).</param>
/// <param name="StateOverheadMs">What each state of an EXPRESS child adds to its duration besides the work it waits for (assumed).</param>
/// <param name="RegisterFileMs">RegisterFile per run: a HEAD, a GetItem, a conditional PutItem (assumed).</param>
/// <param name="SummarizeRunMs">SummarizeRun per run, before reading results (assumed).</param>
/// <param name="SummarizeRunMsPerBatch">SummarizeRun per batch result it reads and reports (assumed).</param>
/// <param name="ColdStartMs">A .NET function's INIT phase, billed since August 2025; one per concurrent instance (assumed).</param>
/// <param name="PlatformLogBytes">Lambda's own START, END and REPORT lines per invocation (assumed).</param>
/// <param name="ParentLogBytes">What RegisterFile and SummarizeRun log per run (assumed).</param>
/// <param name="NotificationBytes">One PublishBatch entry: the message body and its two attributes (StoreStudents' shape).</param>
/// <param name="LedgerItemBytes">An IngestionFiles ledger item (assumed).</param>
/// <param name="ExpressMemoryMb">Memory an EXPRESS child is billed for: one 64 MB chunk (a batch's payload stays under 256 KiB).</param>
/// <param name="ValidateMsOverride">A measured ValidateStudents duration per invocation on AWS, replacing the model's.</param>
/// <param name="StoreMsOverride">A measured StoreStudents duration per invocation on AWS, replacing the model's.</param>
public sealed record CostAssumptions(
    HandlerProfile Handlers,
    string HandlersSource,
    double DynamoDbRequestMs = 5,
    double SnsRequestMs = 20,
    double StateOverheadMs = 10,
    double RegisterFileMs = 150,
    double SummarizeRunMs = 1_000,
    double SummarizeRunMsPerBatch = 0.5,
    double ColdStartMs = 700,
    int PlatformLogBytes = 350,
    int ParentLogBytes = 4_000,
    int NotificationBytes = 300,
    int LedgerItemBytes = 1_500,
    int ExpressMemoryMb = 64,
    double? ValidateMsOverride = null,
    double? StoreMsOverride = null)
{
    /// <summary>
    /// What <see cref="HandlerMeasurement"/> gave on the development machine (2 cores, .NET 10, Release build) on
    /// 2026-11-24, for batches of 250 synthetic students. The definition's batches are 80 students since (the worst-case
    /// payload bound): per-student times do not depend on the batch size, and the log lines are one set per batch.
    /// </summary>
    public static readonly HandlerProfile MeasuredHandlers = new(
        ValidateMicrosPerStudent: 6.2,
        StoreMicrosPerStudent: 9.0,
        ValidateLogBytes: 275,
        StoreLogBytes: 910,
        BatchSize: 80);

    public static CostAssumptions Default { get; } = new(
        MeasuredHandlers,
        "handler times measured in-process on the development machine on 2026-11-24 (ingest cost --measure), scaled by each function's share of a vCPU");

    /// <summary>Conditional writes StoreStudents keeps in flight at once (the DynamoDB store's setting).</summary>
    public static int ParallelWrites { get; } = new DynamoDbStudentStoreOptions().MaxParallelWrites;

    /// <summary>The size of a typical stored student as DynamoDB counts it: attribute names plus values, in UTF-8.</summary>
    /// <remarks>
    /// A student with extra attributes (every fifth synthetic one), a long name and address, and the store's own
    /// attributes (times in the storage format, a 64-character content hash, an S3 version id).
    /// </remarks>
    public static int StudentItemBytes { get; } = ItemBytes(
        (A.StudentId, "S00012345"),
        (A.Name, "Katherine Berners-Lee"),
        (A.Department, "Electrical Engineering"),
        (A.Email, "katherine.bernerslee12345@students.example.edu"),
        (A.Extras, """{"Year":3,"Advisor":"Prof. Berners-Lee"}"""),
        (A.CreatedAt, "2026-11-24T02:00:00.0000000Z"),
        (A.UpdatedAt, "2026-11-24T02:00:00.0000000Z"),
        (A.SourceKey, "incoming/students.json"),
        (A.SourceVersion, "3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY"),
        (A.SourceTime, "2026-11-24T02:00:00.0000000Z"),
        (A.SourceIndex, "12345"),
        (A.ContentHash, new string('0', 64)));

    /// <summary>DynamoDB's item size: each attribute's name and value in UTF-8 bytes (numbers count about one byte per two digits, plus one).</summary>
    public static int ItemBytes(params (string Name, string Value)[] attributes) =>
        attributes.Sum(a => Encoding.UTF8.GetByteCount(a.Name)
            + (a.Value.All(char.IsAsciiDigit) ? (a.Value.Length + 1) / 2 + 1 : Encoding.UTF8.GetByteCount(a.Value)));

    /// <summary>Write request units per write of an item: one per 1 KB, rounded up.</summary>
    public static long WriteUnits(int itemBytes) => Math.Max(1, (itemBytes + 1023) / 1024);

    /// <summary>Read request units per strongly consistent read: one per 4 KB, rounded up; a missing item still costs one.</summary>
    public static long ReadUnits(int itemBytes) => Math.Max(1, (itemBytes + 4095) / 4096);
}
