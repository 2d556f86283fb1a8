using System.Reflection;
using System.Text;
using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Functions.Telemetry;
using Ingestion.Functions.Tests.Support;
using Ingestion.Testing;

namespace Ingestion.Functions.Tests.Functions;

public sealed class RegisterFileTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly LocalRun _run;

    public RegisterFileTests()
    {
        _run = new LocalRun(_folder, _clock);
    }

    private Task<JsonElement> RegisterAsync(string key, string execution = "exec-1", long? graceSeconds = null) =>
        LocalRun.CallAsync(_run.Register.HandleAsync, $$"""{"event":{{LocalRun.ObjectCreatedEvent(key, graceSeconds: graceSeconds)}},"executionName":"{{execution}}"}""");

    private Task<ObjectInfo> PutAsync(string key, string content = "[]") =>
        _run.Objects.PutAsync(LocalRun.Bucket, key, new MemoryStream(Encoding.UTF8.GetBytes(content)));

    [Theory]
    [InlineData("incoming/spring term+résumé 100%.json", "incoming/spring term+résumé 100%.json")]
    [InlineData("incoming/spring term+résumé 100%.json", "incoming/spring+term%2Br%C3%A9sum%C3%A9+100%25.json")]
    [InlineData("incoming/a b.json", "incoming/a%20b.json")]
    public async Task A_key_is_found_whether_the_event_carries_it_raw_or_url_encoded(string key, string eventKey)
    {
        await PutAsync(key);

        var output = await RegisterAsync(eventKey);

        Assert.Equal(("REGISTERED", key), (output.GetProperty("status").GetString(), output.GetProperty("file").GetProperty("key").GetString()));
    }

    [Fact]
    public async Task A_key_that_really_contains_a_plus_is_taken_as_it_is()
    {
        await PutAsync("incoming/a+b.json");
        await PutAsync("incoming/a b.json");

        var output = await RegisterAsync("incoming/a+b.json");

        Assert.Equal("incoming/a+b.json", output.GetProperty("file").GetProperty("key").GetString());
    }

    [Fact]
    public async Task Registers_the_object_with_its_authoritative_version_size_and_time()
    {
        var put = await PutAsync("incoming/a/students.jsonl", "{}\n");
        // The test's clock started before the put; a source time after now would be taken as now.
        _clock.Advance(TimeSpan.FromMinutes(1));

        var output = await RegisterAsync("incoming/a/students.jsonl");

        Assert.Equal("REGISTERED", output.GetProperty("status").GetString());
        var file = output.GetProperty("file");
        Assert.Equal(
            ["bucket", "key", "name", "versionId", "etag", "size", "sourceTime", "inputType", "resultPrefix", "csvDelimiter"],
            file.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, file.GetProperty("csvDelimiter").ValueKind);
        Assert.Equal(("students.jsonl", put.VersionId, put.ETag, 3L, "JSONL", "results/exec-1"),
            (file.GetProperty("name").GetString(), file.GetProperty("versionId").GetString(), file.GetProperty("etag").GetString(), file.GetProperty("size").GetInt64(), file.GetProperty("inputType").GetString(), file.GetProperty("resultPrefix").GetString()));
        Assert.Equal(TimeFormat.ToWire(put.LastModified), file.GetProperty("sourceTime").GetString());
    }

    [Theory]
    [InlineData("StudentID,Name,Department,Email\nS1,A;B,C|D,e@x.edu\n", "COMMA")]
    [InlineData("StudentID;Name;Department;Email\r\nS1;A,B;C;e@x.edu\r\n", "SEMICOLON")]
    [InlineData("StudentID\tName\tDepartment\tEmail\n", "TAB")]
    [InlineData("StudentID|Name|Department|Email", "PIPE")]
    [InlineData("\"Student;ID\",\"Name;x\",Department,Email\n", "COMMA")]
    [InlineData("StudentID\n", "COMMA")]
    [InlineData("", "COMMA")]
    public async Task A_csv_files_delimiter_is_told_from_its_header_line(string content, string delimiter)
    {
        await PutAsync("incoming/students.csv", content);

        var output = await RegisterAsync("incoming/students.csv");

        Assert.Equal(("CSV", delimiter), (output.GetProperty("file").GetProperty("inputType").GetString(), output.GetProperty("file").GetProperty("csvDelimiter").GetString()));
    }

    [Fact]
    public void A_header_line_is_read_up_to_its_end_only()
    {
        // The rows below the header are data: semicolons there say nothing about the delimiter.
        Assert.Equal("COMMA", CsvHeader.DelimiterOf("a,b\n;;;;;;;;\n"u8));
        Assert.Equal("PIPE", CsvHeader.DelimiterOf("a|b|c,d\r;;;;\n"u8));
    }

    [Fact]
    public async Task The_same_version_twice_is_already_processed_but_a_retry_of_the_same_execution_is_not()
    {
        await PutAsync("incoming/a.json");

        var first = await RegisterAsync("incoming/a.json", "exec-1");
        var retry = await RegisterAsync("incoming/a.json", "exec-1");
        var duplicate = await RegisterAsync("incoming/a.json", "exec-2");

        Assert.Equal(["REGISTERED", "REGISTERED", "ALREADY_PROCESSED"], new[] { first, retry, duplicate }.Select(o => o.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_new_upload_of_the_same_key_is_a_new_version_to_register()
    {
        await PutAsync("incoming/a.json");
        await RegisterAsync("incoming/a.json", "exec-1");
        await PutAsync("incoming/a.json");

        Assert.Equal("REGISTERED", (await RegisterAsync("incoming/a.json", "exec-2")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_late_duplicate_of_an_ingested_version_is_already_processed_even_once_the_object_moved()
    {
        var put = await PutAsync("incoming/a.json");
        var objectCreated = LocalRun.ObjectCreatedEvent("incoming/a.json", put.Size, put.VersionId);
        await LocalRun.CallAsync(_run.Register.HandleAsync, $$"""{"event":{{objectCreated}},"executionName":"exec-1"}""");
        await _run.Objects.MoveAsync(LocalRun.Bucket, "incoming/a.json", "archive/a.json");

        var duplicate = await LocalRun.CallAsync(_run.Register.HandleAsync, $$"""{"event":{{objectCreated}},"executionName":"exec-2"}""");

        Assert.Equal("ALREADY_PROCESSED", duplicate.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_gone_object_is_missing()
    {
        Assert.Equal("MISSING", (await RegisterAsync("incoming/gone.json")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_folder_marker_is_ignored_not_quarantined()
    {
        var output = await RegisterAsync("incoming/");

        Assert.Equal("IGNORED", output.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, output.GetProperty("file").ValueKind);
    }

    [Fact]
    public async Task A_nightly_sync_event_for_a_young_object_is_skipped()
    {
        await PutAsync("incoming/a.json");

        var output = await RegisterAsync("incoming/a.json", graceSeconds: 3600);

        Assert.Equal("SKIPPED_RECENT", output.GetProperty("status").GetString());
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal("REGISTERED", (await RegisterAsync("incoming/a.json", graceSeconds: 3600)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("incoming/students.xlsx", "UNSUPPORTED_EXTENSION")]
    [InlineData("incoming/README", "UNSUPPORTED_EXTENSION")]
    public async Task Files_that_can_never_be_ingested_are_rejected(string key, string code)
    {
        await PutAsync(key);

        var error = await Assert.ThrowsAsync<FileRejectedException>(() => RegisterAsync(key));

        Assert.Equal(code, error.Code);
        Assert.Equal("FileRejectedException", error.ErrorName);
    }

    [Fact]
    public async Task Files_over_the_size_limit_are_rejected()
    {
        await PutAsync("incoming/big.json", new string(' ', 100));
        var function = new RegisterFileFunction(_run.Objects, _run.Ledger, TelemetryOptions.To(new MemoryLineSink()), _clock, new HandlerLimits(MaxFileBytes: 99));

        var error = await Assert.ThrowsAsync<FileRejectedException>(() => LocalRun.CallAsync(function.HandleAsync, $$"""{"event":{{LocalRun.ObjectCreatedEvent("incoming/big.json")}},"executionName":"e"}"""));

        Assert.Equal("FILE_TOO_LARGE", error.Code);
    }

    [Fact]
    public async Task Invalid_keys_are_rejected()
    {
        var error = await Assert.ThrowsAsync<FileRejectedException>(() => RegisterAsync("incoming/../../etc/passwd.json"));
        Assert.Equal("INVALID_KEY", error.Code);
    }

    [Fact]
    public async Task Malformed_input_names_what_is_missing()
    {
        var error = await Assert.ThrowsAsync<InvalidHandlerInputException>(() => LocalRun.CallAsync(_run.Register.HandleAsync, """{"event":{}}"""));
        Assert.Contains("executionName", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _run.Dispose();
        _folder.Dispose();
    }
}

public sealed class ValidateAndStoreTests : IDisposable
{
    private const string File = """{"bucket":"ingestion","key":"incoming/s.json","name":"s.json","versionId":"v1","etag":"e","size":10,"sourceTime":"2026-11-24T02:00:00.000Z","inputType":"JSON","resultPrefix":"results/x"}""";

    private readonly TempFolder _folder = new();
    private readonly ManualClock _clock = new();
    private readonly LocalRun _run;

    public ValidateAndStoreTests()
    {
        _run = new LocalRun(_folder, _clock);
    }

    private static string Batch(params string[] records) =>
        $$"""{"BatchInput":{"file":{{File}}},"Items":[{{string.Join(",", records.Select((r, i) => $$"""{"index":{{i + 100}},"record":{{r}}}"""))}}]}""";

    [Fact]
    public async Task Validate_splits_a_batch_into_valid_and_rejected()
    {
        var output = await LocalRun.CallAsync(_run.Validate.HandleAsync, Batch(
            """{"studentid":" S-1 ","name":"Ada","department":"Maths","EMAIL":"ada@EXAMPLE.edu","Year":2}""",
            "null",
            """{"StudentID":"S-2","Name":"Bob","Department":"Maths","Email":"bob"}"""));

        Assert.Equal(["file", "received", "valid", "rejected"], output.EnumerateObject().Select(p => p.Name));
        Assert.Equal("incoming/s.json", output.GetProperty("file").GetProperty("key").GetString());
        Assert.Equal(3, output.GetProperty("received").GetInt32());
        var valid = Assert.Single(output.GetProperty("valid").EnumerateArray());
        Assert.Equal(100, valid.GetProperty("index").GetInt32());
        Assert.Equal("""{"StudentID":"S-1","Name":"Ada","Department":"Maths","Email":"ada@example.edu","Year":2}""", valid.GetProperty("student").GetRawText());
        var rejected = output.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal("""{"index":101,"studentId":null,"reasons":[{"code":"NOT_AN_OBJECT","field":null,"message":"The record is null, not an object."}]}""", rejected[0].GetRawText());
        Assert.Equal(("S-2", "EMAIL_INVALID", "Email"), (rejected[1].GetProperty("studentId").GetString(), rejected[1].GetProperty("reasons")[0].GetProperty("code").GetString(), rejected[1].GetProperty("reasons")[0].GetProperty("field").GetString()));
    }

    [Fact]
    public async Task Store_returns_counts_outcomes_and_notifications_as_documented()
    {
        var validated = await LocalRun.CallAsync(_run.Validate.HandleAsync, Batch(
            """{"StudentID":"S-1","Name":"Ada","Department":"Mathematics","Email":"ada@example.edu"}""",
            """{"StudentID":"S-2","Name":"Bob","Department":"Physics","Email":"nope"}"""));

        var output = await LocalRun.CallAsync(_run.StoreFunction.HandleAsync, validated.GetRawText());

        // The run counts shape (DomainJson) for one batch: failed and notified are the run's, 0 here.
        Assert.Equal("""{"received":2,"created":1,"updated":0,"unchanged":0,"replayed":0,"stale":0,"rejected":1,"failed":0,"notified":0}""", output.GetProperty("counts").GetRawText());
        Assert.Equal(validated.GetProperty("rejected").GetRawText(), output.GetProperty("rejected").GetRawText());
        Assert.Equal("""{"created":[100],"updated":[],"unchanged":[],"replayed":[],"stale":[]}""", output.GetProperty("outcomes").GetRawText());
        var notification = Assert.Single(output.GetProperty("notifications").EnumerateArray());
        Assert.Equal(["Id", "Message", "MessageAttributes"], notification.EnumerateObject().Select(p => p.Name));
        Assert.Equal("r100", notification.GetProperty("Id").GetString());
        var message = JsonDocument.Parse(notification.GetProperty("Message").GetString()!).RootElement;
        Assert.Equal(["changeType", "studentId", "department", "sourceTime", "contentHash"], message.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ("created", "S-1", "Mathematics", validated.GetProperty("file").GetProperty("sourceTime").GetString()),
            (message.GetProperty("changeType").GetString(), message.GetProperty("studentId").GetString(), message.GetProperty("department").GetString(), message.GetProperty("sourceTime").GetString()));
        Assert.Equal((await _run.Store.GetAsync("S-1"))!.ContentHash, message.GetProperty("contentHash").GetString());
        Assert.Equal(
            """{"ChangeType":{"DataType":"String","StringValue":"created"},"Department":{"DataType":"String","StringValue":"Mathematics"}}""",
            notification.GetProperty("MessageAttributes").GetRawText());
    }

    [Fact]
    public async Task A_replayed_batch_notifies_again_with_the_original_change()
    {
        var validated = await LocalRun.CallAsync(_run.Validate.HandleAsync, Batch("""{"StudentID":"S-1","Name":"Ada","Department":"Mathematics","Email":"ada@example.edu"}"""));
        await LocalRun.CallAsync(_run.StoreFunction.HandleAsync, validated.GetRawText());

        var again = await LocalRun.CallAsync(_run.StoreFunction.HandleAsync, validated.GetRawText());

        Assert.Equal(1, again.GetProperty("counts").GetProperty("replayed").GetInt32());
        var notification = Assert.Single(again.GetProperty("notifications").EnumerateArray());
        Assert.Equal("created", notification.GetProperty("MessageAttributes").GetProperty("ChangeType").GetProperty("StringValue").GetString());
        Assert.True(JsonDocument.Parse(notification.GetProperty("Message").GetString()!).RootElement.GetProperty("replayed").GetBoolean());
    }

    [Fact]
    public async Task Store_input_without_a_file_is_refused_clearly()
    {
        var error = await Assert.ThrowsAsync<InvalidHandlerInputException>(() => LocalRun.CallAsync(_run.StoreFunction.HandleAsync, """{"valid":[]}"""));
        Assert.Contains("'file'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_handles_a_500_item_batch()
    {
        var records = Enumerable.Range(0, 500).Select(i => $$"""{"StudentID":"S-{{i}}","Name":"Student {{i}}","Department":"Physics","Email":"s{{i}}@example.edu","Year":{{i % 4}}}""").ToArray();

        var output = await LocalRun.CallAsync(_run.Validate.HandleAsync, Batch(records));

        Assert.Equal(500, output.GetProperty("valid").GetArrayLength());
    }

    [Theory]
    [InlineData("D")]
    [InlineData("é")]
    [InlineData("中")]
    [InlineData("😀")]
    [InlineData("\\")]
    [InlineData("\"")]
    public async Task A_full_batch_of_the_widest_students_stores_within_the_step_functions_payload_limit(string character)
    {
        // The definition's largest batch, every announced field at its maximum length (the department in the given
        // character; StudentIDs are ASCII), all created. Step Functions counts a payload's UTF-8 bytes; the notifications carry the department twice, once
        // inside the Message string.
        var batch = IngestFileDefinition.MaxItemsPerBatch;
        var department = string.Concat(Enumerable.Repeat(character, StudentValidator.MaxDepartmentLength));
        var records = Enumerable.Range(0, batch)
            .Select(i => JsonSerializer.Serialize(
                new Dictionary<string, string>
                {
                    ["StudentID"] = i.ToString("D64", System.Globalization.CultureInfo.InvariantCulture),
                    ["Name"] = "Student",
                    ["Department"] = department,
                    ["Email"] = $"s{i}@example.edu",
                },
                TestJsonContext.Default.DictionaryStringString))
            .ToArray();
        var validated = await LocalRun.CallAsync(_run.Validate.HandleAsync, Batch(records));

        var output = await LocalRun.CallAsync(_run.StoreFunction.HandleAsync, validated.GetRawText());

        Assert.Equal(batch, output.GetProperty("notifications").GetArrayLength());
        Assert.Equal(department, JsonDocument.Parse(output.GetProperty("notifications")[0].GetProperty("Message").GetString()!).RootElement.GetProperty("department").GetString());
        Assert.InRange(Encoding.UTF8.GetByteCount(output.GetRawText()), 1, 256 * 1024);
    }

    public void Dispose()
    {
        _run.Dispose();
        _folder.Dispose();
    }
}

public sealed class EntryPointTests
{
    public static TheoryData<string> Handlers => new()
    {
        "Ingestion.Functions::Ingestion.Functions.RegisterFileFunction::HandleAsync",
        "Ingestion.Functions::Ingestion.Functions.ValidateStudentsFunction::HandleAsync",
        "Ingestion.Functions::Ingestion.Functions.StoreStudentsFunction::HandleAsync",
        "Ingestion.Functions::Ingestion.Functions.SummarizeRunFunction::HandleAsync",
    };

    [Theory]
    [MemberData(nameof(Handlers))]
    public void Handler_strings_name_a_public_Stream_method_the_managed_runtime_can_load(string handler)
    {
        var parts = handler.Split("::");
        var assembly = Assembly.Load(parts[0]);
        var type = assembly.GetType(parts[1], throwOnError: true)!;

        Assert.NotNull(type.GetConstructor(Type.EmptyTypes));
        var method = Assert.Single(type.GetMethods(BindingFlags.Public | BindingFlags.Instance), m => m.Name == parts[2]);
        Assert.Equal(typeof(Task<Stream>), method.ReturnType);
        Assert.Equal([typeof(Stream)], method.GetParameters().Select(p => p.ParameterType));
    }

    [Fact]
    public void Settings_come_from_environment_variables_with_documented_defaults()
    {
        var defaults = HandlerSettings.FromEnvironment(_ => null);
        var custom = HandlerSettings.FromEnvironment(name => name switch
        {
            "MAX_FILE_BYTES" => "1000",
            "POWERTOOLS_LOG_LEVEL" => "DEBUG",
            "STUDENTS_TABLE" => "Students-prod",
            _ => null,
        });

        Assert.Equal((1L << 30, "StudentRecords", "IngestionFiles", "ingestion", "StudentIngestion"),
            (defaults.MaxFileBytes, defaults.StudentsTable, defaults.FilesTable, defaults.ServiceName, defaults.MetricsNamespace));
        Assert.Equal((1000L, LogLevel.Debug, "Students-prod"), (custom.MaxFileBytes, custom.LogLevel, custom.StudentsTable));
    }

    /// <summary>Deployed, the functions compose themselves with DynamoDB and S3 only.</summary>
    [Fact]
    public void Settings_build_the_aws_adapters_at_the_configured_endpoints()
    {
        var variables = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:8000",
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4569",
            ["STUDENTS_TABLE"] = "Students-test",
        };
        var settings = HandlerSettings.FromEnvironment(name => variables.GetValueOrDefault(name));

        using var store = Assert.IsType<Ingestion.Storage.Aws.DynamoDb.DynamoDbStudentStore>(settings.CreateStudentStore());
        using var ledger = Assert.IsType<Ingestion.Storage.Aws.DynamoDb.DynamoDbFileLedger>(settings.CreateFileLedger());
        using var objects = Assert.IsType<Ingestion.Storage.Aws.S3.S3ObjectStore>(settings.CreateObjectStore());

        Assert.Equal(("http://127.0.0.1:8000", "http://127.0.0.1:4569"), (settings.DynamoDbEndpoint, settings.S3Endpoint));
    }
}
