using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Functions.Telemetry;
using Ingestion.Storage.Aws;

namespace Ingestion.Functions;

/// <summary>The functions' configuration, from environment variables (the table in handlers/README.md).</summary>
/// <remarks>
/// Deployed, the functions store to DynamoDB and read S3: that is the only composition this assembly knows. The local
/// runtime reads the same settings and composes the functions with local storage instead.
/// </remarks>
public sealed record HandlerSettings
{
    /// <summary><c>STUDENTS_TABLE</c>.</summary>
    public string StudentsTable { get; init; } = "StudentRecords";

    /// <summary><c>FILES_TABLE</c>.</summary>
    public string FilesTable { get; init; } = "IngestionFiles";

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

    /// <summary>Reads the settings; <paramref name="getVariable"/> defaults to the process environment.</summary>
    public static HandlerSettings FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? Get(string name) => getVariable(name) is { Length: > 0 } value ? value.Trim() : null;
        var defaults = new HandlerSettings();
        var maxBytes = Get("MAX_FILE_BYTES");
        return new HandlerSettings
        {
            StudentsTable = Get("STUDENTS_TABLE") ?? defaults.StudentsTable,
            FilesTable = Get("FILES_TABLE") ?? defaults.FilesTable,
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

    /// <summary>The DynamoDB student store of <c>STUDENTS_TABLE</c>.</summary>
    public IStudentStore CreateStudentStore(TimeProvider? clock = null) =>
        AwsBackends.StudentStore(new AwsConnection(DynamoDbEndpoint, AwsRegion), StudentsTable, clock);

    /// <summary>The DynamoDB file ledger of <c>FILES_TABLE</c>.</summary>
    public IFileLedger CreateFileLedger() => AwsBackends.FileLedger(new AwsConnection(DynamoDbEndpoint, AwsRegion), FilesTable);

    /// <summary>S3.</summary>
    public IObjectStore CreateObjectStore() => AwsBackends.ObjectStore(new AwsConnection(S3Endpoint, AwsRegion));
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
