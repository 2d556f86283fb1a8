using Ingestion.Handlers.Storage;
using Ingestion.Handlers.Storage.Aws;
using Ingestion.Handlers.Storage.LocalFolder;
using Ingestion.Handlers.Storage.Sqlite;
using Ingestion.Handlers.Telemetry;

namespace Ingestion.Handlers.Functions;

/// <summary>The functions' configuration, from environment variables (the table in handlers/README.md).</summary>
public sealed record HandlerSettings
{
    /// <summary><c>INGEST_STORE</c>: <c>sqlite</c> or <c>dynamodb</c>.</summary>
    public string Store { get; init; } = "sqlite";

    /// <summary><c>INGEST_SQLITE_PATH</c>; defaults to <c>&lt;INGEST_DATA_DIR&gt;/ingest.db</c>.</summary>
    public string? SqlitePath { get; init; }

    /// <summary><c>STUDENTS_TABLE</c>.</summary>
    public string StudentsTable { get; init; } = "StudentRecords";

    /// <summary><c>FILES_TABLE</c>.</summary>
    public string FilesTable { get; init; } = "IngestionFiles";

    /// <summary><c>INGEST_OBJECTS</c>: <c>folder</c> or <c>s3</c>.</summary>
    public string Objects { get; init; } = "folder";

    /// <summary><c>INGEST_DATA_DIR</c>: the local data folder; buckets live under <c>s3/</c>.</summary>
    public string DataDir { get; init; } = ".ingest";

    /// <summary><c>AWS_ENDPOINT_URL_DYNAMODB</c> (else <c>AWS_ENDPOINT_URL</c>): a DynamoDB endpoint such as dynalite; null for AWS itself.</summary>
    public string? DynamoDbEndpoint { get; init; }

    /// <summary><c>AWS_ENDPOINT_URL_S3</c> (else <c>AWS_ENDPOINT_URL</c>): an S3 endpoint such as s3rver; null for AWS itself.</summary>
    public string? S3Endpoint { get; init; }

    /// <summary><c>AWS_REGION</c> (else <c>AWS_DEFAULT_REGION</c>); null for the SDK's own lookup (the profile).</summary>
    public string? AwsRegion { get; init; }

    /// <summary><c>MAX_FILE_BYTES</c>.</summary>
    public long MaxFileBytes { get; init; } = HandlerLimits.DefaultMaxFileBytes;

    /// <summary><c>POWERTOOLS_SERVICE_NAME</c>.</summary>
    public string ServiceName { get; init; } = "ingestion";

    /// <summary><c>POWERTOOLS_METRICS_NAMESPACE</c>.</summary>
    public string MetricsNamespace { get; init; } = MetricNames.Namespace;

    /// <summary><c>POWERTOOLS_LOG_LEVEL</c>.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Info;

    public string EffectiveSqlitePath => SqlitePath ?? Path.Combine(DataDir, "ingest.db");

    /// <summary>Reads the settings; <paramref name="getVariable"/> defaults to the process environment.</summary>
    public static HandlerSettings FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? Get(string name) => getVariable(name) is { Length: > 0 } value ? value.Trim() : null;
        var defaults = new HandlerSettings();
        var maxBytes = Get("MAX_FILE_BYTES");
        return new HandlerSettings
        {
            Store = Get("INGEST_STORE")?.ToLowerInvariant() ?? defaults.Store,
            SqlitePath = Get("INGEST_SQLITE_PATH"),
            StudentsTable = Get("STUDENTS_TABLE") ?? defaults.StudentsTable,
            FilesTable = Get("FILES_TABLE") ?? defaults.FilesTable,
            Objects = Get("INGEST_OBJECTS")?.ToLowerInvariant() ?? defaults.Objects,
            DataDir = Get("INGEST_DATA_DIR") ?? defaults.DataDir,
            DynamoDbEndpoint = Get("AWS_ENDPOINT_URL_DYNAMODB") ?? Get("AWS_ENDPOINT_URL"),
            S3Endpoint = Get("AWS_ENDPOINT_URL_S3") ?? Get("AWS_ENDPOINT_URL"),
            AwsRegion = Get("AWS_REGION") ?? Get("AWS_DEFAULT_REGION"),
            MaxFileBytes = maxBytes is null ? defaults.MaxFileBytes
                : long.TryParse(maxBytes, out var parsed) && parsed > 0 ? parsed
                : throw new ConfigurationException($"MAX_FILE_BYTES must be a positive whole number of bytes, not '{maxBytes}'."),
            ServiceName = Get("POWERTOOLS_SERVICE_NAME") ?? defaults.ServiceName,
            MetricsNamespace = Get("POWERTOOLS_METRICS_NAMESPACE") ?? defaults.MetricsNamespace,
            LogLevel = PowertoolsCompatibleLogger.ParseLevel(Get("POWERTOOLS_LOG_LEVEL")),
        };
    }

    public HandlerLimits Limits => new(MaxFileBytes);

    /// <summary>Logs and metrics to one sink, labelled as configured.</summary>
    public TelemetryOptions Telemetry(ILineSink sink) => Telemetry(sink, sink);

    public TelemetryOptions Telemetry(ILineSink logs, ILineSink metrics) => new(logs, metrics)
    {
        ServiceName = ServiceName,
        MetricsNamespace = MetricsNamespace,
        MinimumLevel = LogLevel,
    };

    public IStudentStore CreateStudentStore(TimeProvider? clock = null) => Store switch
    {
        "sqlite" => new SqliteStudentStore(EffectiveSqlitePath, clock),
        "dynamodb" => AwsBackends.StudentStore(new AwsConnection(DynamoDbEndpoint, AwsRegion), StudentsTable, clock),
        _ => throw new ConfigurationException($"INGEST_STORE must be 'sqlite' or 'dynamodb', not '{Store}'."),
    };

    public IFileLedger CreateFileLedger() => Store switch
    {
        "sqlite" => new SqliteFileLedger(EffectiveSqlitePath),
        "dynamodb" => AwsBackends.FileLedger(new AwsConnection(DynamoDbEndpoint, AwsRegion), FilesTable),
        _ => throw new ConfigurationException($"INGEST_STORE must be 'sqlite' or 'dynamodb', not '{Store}'."),
    };

    public IObjectStore CreateObjectStore() => Objects switch
    {
        "folder" => new LocalFolderObjectStore(Path.Combine(DataDir, "s3")),
        "s3" => AwsBackends.ObjectStore(new AwsConnection(S3Endpoint, AwsRegion)),
        _ => throw new ConfigurationException($"INGEST_OBJECTS must be 'folder' or 's3', not '{Objects}'."),
    };
}

/// <summary>What the parameterless constructors share within one process (one Lambda sandbox): settings and adapters, built once.</summary>
internal static class HandlerRuntime
{
    private static readonly Lazy<HandlerSettings> SettingsValue = new(() => HandlerSettings.FromEnvironment());
    private static readonly Lazy<IStudentStore> StoreValue = new(() => Settings.CreateStudentStore());
    private static readonly Lazy<IFileLedger> LedgerValue = new(() => Settings.CreateFileLedger());
    private static readonly Lazy<IObjectStore> ObjectsValue = new(() => Settings.CreateObjectStore());

    public static HandlerSettings Settings => SettingsValue.Value;

    public static IStudentStore Store => StoreValue.Value;

    public static IFileLedger Ledger => LedgerValue.Value;

    public static IObjectStore Objects => ObjectsValue.Value;

    /// <summary>On Lambda, logs and EMF documents both go to stdout.</summary>
    public static TelemetryOptions Telemetry => Settings.Telemetry(TextWriterLineSink.StandardOutput);
}
