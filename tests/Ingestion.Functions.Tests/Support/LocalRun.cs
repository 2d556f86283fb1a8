using System.Text;
using System.Text.Json;
using Ingestion.Functions.Telemetry;
using Ingestion.Storage.Local.Folder;
using Ingestion.Storage.Local.Sqlite;
using Ingestion.Testing;

namespace Ingestion.Functions.Tests.Support;

/// <summary>
/// Plays the IngestFile state machine around the four handlers for tests: the event, RegisterFile, a simple
/// ItemReader and ItemBatcher, the EXPRESS child (ValidateStudents → StoreStudents), a ResultWriter in AWS's
/// layout, and SummarizeRun. The real definitions and interpreter are tested elsewhere; this pins the handlers' JSON.
/// </summary>
public sealed class LocalRun : IDisposable
{
    public const string Bucket = "ingestion";

    private int _executions;

    /// <param name="consoleRegion">The region SummarizeRun's e-mail links to the S3 console in; null for none.</param>
    public LocalRun(TempFolder folder, ManualClock clock, string? consoleRegion = null)
    {
        Clock = clock;
        Objects = new LocalFolderObjectStore(folder.Combine("s3"));
        Store = new SqliteStudentStore(folder.Combine("ingest.db"), clock);
        Ledger = new SqliteFileLedger(folder.Combine("ingest.db"));
        var telemetry = new TelemetryOptions(Logs, Metrics);
        Register = new RegisterFileFunction(Objects, Ledger, telemetry, clock);
        Validate = new ValidateStudentsFunction(telemetry, clock);
        StoreFunction = new StoreStudentsFunction(Store, telemetry, clock);
        Summarize = new SummarizeRunFunction(Objects, Ledger, telemetry, clock, consoleRegion);
    }

    public ManualClock Clock { get; }

    /// <summary>How many result files the ResultWriter stand-in cuts each group (SUCCEEDED, FAILED) into.</summary>
    public int ResultFilesPerGroup { get; set; } = 1;

    /// <summary>Write succeeded children as WriterConfig Transformation COMPACT does: the output alone, not the execution record.</summary>
    public bool CompactResults { get; set; }

    public LocalFolderObjectStore Objects { get; }

    public SqliteStudentStore Store { get; }

    public SqliteFileLedger Ledger { get; }

    public MemoryLineSink Logs { get; } = new();

    public MemoryLineSink Metrics { get; } = new();

    public RegisterFileFunction Register { get; }

    public ValidateStudentsFunction Validate { get; }

    public StoreStudentsFunction StoreFunction { get; }

    public SummarizeRunFunction Summarize { get; }

    public List<JsonElement> Notifications { get; } = [];

    public static async Task<JsonElement> CallAsync(Func<Stream, Task<Stream>> function, string input)
    {
        await using var output = await function(new MemoryStream(Encoding.UTF8.GetBytes(input)));
        return (await JsonDocument.ParseAsync(output)).RootElement.Clone();
    }

    public static string ObjectCreatedEvent(string key, long size = 0, string? versionId = null, long? graceSeconds = null) =>
              $$"""
              {"version":"0","id":"{{Guid.NewGuid()}}","detail-type":"Object Created","source":"aws.s3","time":"2026-11-24T02:00:00Z",
               "detail":{"bucket":{"name":"{{Bucket}}"},"object":{"key":{{JsonSerializer.Serialize(key, TestJsonContext.Default.String)}},"size":{{size}},"etag":"x"{{(versionId is null ? "" : $",\"version-id\":\"{versionId}\"")}}}{{(graceSeconds is null ? "" : $",\"graceSeconds\":{graceSeconds}")}} } }
              """;

    /// <summary>Uploads a file to incoming/ and runs the whole execution; returns RegisterFile's and SummarizeRun's outputs.</summary>
    public async Task<(JsonElement Registration, JsonElement? Summary)> IngestAsync(string name, byte[] content, int batchSize = 5, Func<int, bool>? failBatch = null)
    {
        var key = "incoming/" + name;
        await Objects.PutAsync(Bucket, key, new MemoryStream(content));
        var executionName = $"exec-{Interlocked.Increment(ref _executions)}";
        var objectCreated = ObjectCreatedEvent(key, content.Length);
        var registration = await CallAsync(Register.HandleAsync, $$"""{"event":{{objectCreated}},"executionName":"{{executionName}}"}""");
        if (registration.GetProperty("status").GetString() != RegistrationStatuses.Registered)
        {
            return (registration, null);
        }

        var file = registration.GetProperty("file");
        List<string> records;
        try
        {
            records = ItemReader.Read(content, file.GetProperty("inputType").GetString()!);
        }
        catch (FormatException e)
        {
            // As the definition passes it: the caught error, and the whole state (the event plus `registration`).
            var error = $$"""{"Error":"States.ItemReaderFailed","Cause":{{JsonSerializer.Serialize(e.Message, TestJsonContext.Default.String)}} }""";
            var state = objectCreated.TrimEnd()[..^1] + $$""","registration":{{registration.GetRawText()}},"error":{{error}} }""";
            var quarantine = $$"""{"mode":"quarantine","executionName":"{{executionName}}","error":{{error}},"state":{{state}} }""";
            return (registration, await CallAsync(Summarize.HandleAsync, quarantine));
        }

        var succeeded = new List<string>();
        var failed = new List<string>();
        for (var start = 0; start < records.Count; start += batchSize)
        {
            var items = string.Join(",", Enumerable.Range(start, Math.Min(batchSize, records.Count - start)).Select(i => $$"""{"index":{{i}},"record":{{records[i]}}}"""));
            var batch = $$"""{"BatchInput":{"file":{{file.GetRawText()}}},"Items":[{{items}}]}""";
            var inputString = JsonSerializer.Serialize(batch, TestJsonContext.Default.String);
            if (failBatch?.Invoke(start / batchSize) == true)
            {
                failed.Add($$"""{"ExecutionArn":"arn:aws:states:us-east-1:111122223333:execution:child:{{start}}","Input":{{inputString}},"InputDetails":{"Included":true},"Name":"{{start}}","Status":"FAILED","Error":"Lambda.ServiceException","Cause":"boom"}""");
                continue;
            }

            var validated = await CallAsync(Validate.HandleAsync, batch);
            var stored = await CallAsync(StoreFunction.HandleAsync, validated.GetRawText());
            var notifications = stored.GetProperty("notifications");
            Notifications.AddRange(notifications.EnumerateArray());
            var output = $$"""{"counts":{{stored.GetProperty("counts").GetRawText()}},"rejected":{{stored.GetProperty("rejected").GetRawText()}},"notified":{{notifications.GetArrayLength()}}}""";
            if (CompactResults)
            {
                succeeded.Add(output);
                continue;
            }

            succeeded.Add($$"""{"ExecutionArn":"arn:aws:states:us-east-1:111122223333:execution:child:{{start}}","Input":{{inputString}},"InputDetails":{"Included":true},"Name":"{{start}}","Output":{{JsonSerializer.Serialize(output, TestJsonContext.Default.String)}},"OutputDetails":{"Included":true},"Status":"SUCCEEDED"}""");
        }

        var manifest = await WriteResultsAsync(file.GetProperty("resultPrefix").GetString()!, succeeded, failed);

        // `map` is the Map state's output, or the error its Catch caught when too many batches failed.
        var map = failed.Count > 0
            ? """{"Error":"States.ExceedToleratedFailureThreshold","Cause":"too many failed"}"""
            : $$"""{"MapRunArn":"arn:aws:states:us-east-1:111122223333:mapRun:ingest/Map:x","ResultWriterDetails":{"Bucket":"{{Bucket}}","Key":"{{manifest}}"} }""";
        var summarize = $$"""{"mode":"complete","executionName":"{{executionName}}","file":{{file.GetRawText()}},"map":{{map}} }""";
        return (registration, await CallAsync(Summarize.HandleAsync, summarize));
    }

    /// <summary>The ResultWriter's output as AWS writes it: result files and a manifest under prefix/mapRunId/.</summary>
    public async Task<string> WriteResultsAsync(string prefix, List<string> succeeded, List<string> failed)
    {
        var mapRun = Guid.NewGuid().ToString();
        var folder = $"{prefix}/{mapRun}";
        async Task<string> Put(string name, List<string> entries)
        {
            var bytes = Encoding.UTF8.GetBytes("[" + string.Join(",", entries) + "]");
            await Objects.PutAsync(Bucket, $"{folder}/{name}", new MemoryStream(bytes));
            return $$"""{"Key":"{{folder}}/{{name}}","Size":{{bytes.Length}}}""";
        }

        // Entries in order, cut into ResultFilesPerGroup files per group, as the ResultWriter cuts a large run's.
        async Task<string> PutAll(string group, List<string> entries)
        {
            var size = Math.Max(1, (entries.Count + ResultFilesPerGroup - 1) / ResultFilesPerGroup);
            var written = new List<string>();
            for (var start = 0; start < entries.Count; start += size)
            {
                written.Add(await Put($"{group}_{written.Count}.json", entries.GetRange(start, Math.Min(size, entries.Count - start))));
            }

            return string.Join(",", written);
        }

        var succeededFiles = await PutAll("SUCCEEDED", succeeded);
        var failedFiles = await PutAll("FAILED", failed);
        var manifest = $$"""{"DestinationBucket":"{{Bucket}}","MapRunArn":"arn:aws:states:us-east-1:111122223333:mapRun:ingest/Map:{{mapRun}}","ResultFiles":{"FAILED":[{{failedFiles}}],"PENDING":[],"SUCCEEDED":[{{succeededFiles}}] } }""";
        await Objects.PutAsync(Bucket, $"{folder}/manifest.json", new MemoryStream(Encoding.UTF8.GetBytes(manifest)));
        return $"{folder}/manifest.json";
    }

    public async Task<JsonElement> ReportAsync(JsonElement summary)
    {
        await using var content = await Objects.GetAsync(Bucket, summary.GetProperty("reportKey").GetString()!);
        return (await JsonDocument.ParseAsync(content.Content)).RootElement.Clone();
    }

    /// <summary>The rejections CSV beside a run's report, as text (the byte order mark left out, as CSV readers do).</summary>
    public async Task<string> RejectionsCsvAsync(JsonElement summary)
    {
        await using var content = await Objects.GetAsync(Bucket, summary.GetProperty("rejectionsKey").GetString()!);
        using var reader = new StreamReader(content.Content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync();
    }

    public void Dispose()
    {
        Store.Dispose();
        Ledger.Dispose();
    }
}

/// <summary>A minimal ItemReader for tests: JSON array, JSON Lines, CSV with a header row; every record as JSON text.</summary>
public static class ItemReader
{
    public static List<string> Read(byte[] content, string inputType)
    {
        var text = Encoding.UTF8.GetString(content);
        try
        {
            switch (inputType)
            {
                case "JSON":
                    using (var document = JsonDocument.Parse(content))
                    {
                        return document.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
                    }

                case "JSONL":
                    return text.Split('\n').Where(l => l.Trim().Length > 0).Select(l =>
                    {
                        using var line = JsonDocument.Parse(l);
                        return line.RootElement.GetRawText();
                    }).ToList();
                default:
                    var rows = CsvRows.Parse(text);
                    var header = rows[0];
                    return rows.Skip(1).Select(row => JsonSerializer.Serialize(
                        header.Zip(row).ToDictionary(p => p.First, p => p.Second),
                        TestJsonContext.Default.DictionaryStringString)).ToList();
            }
        }
        catch (JsonException e)
        {
            throw new FormatException($"The file is not valid {inputType}: {e.Message}", e);
        }
    }
}
