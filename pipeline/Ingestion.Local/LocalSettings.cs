using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Functions;
using Ingestion.Storage.Local.Folder;
using Ingestion.Storage.Local.Sqlite;

namespace Ingestion.Local;

/// <summary>
/// The local runtime's configuration: where its data folder is and which storage it composes the functions with
/// (SQLite and the folder bucket by default; DynamoDB and S3 endpoints when asked), plus the functions' own settings.
/// </summary>
/// <remarks>Adapter choice is made here and only here.</remarks>
public sealed record LocalSettings
{
    /// <summary><c>INGEST_STORE</c>: <c>sqlite</c> or <c>dynamodb</c>.</summary>
    public string Store { get; init; } = "sqlite";

    /// <summary><c>INGEST_SQLITE_PATH</c>; defaults to <c>&lt;INGEST_DATA_DIR&gt;/ingest.db</c>.</summary>
    public string? SqlitePath { get; init; }

    /// <summary><c>INGEST_OBJECTS</c>: <c>folder</c> or <c>s3</c>.</summary>
    public string Objects { get; init; } = "folder";

    /// <summary><c>INGEST_DATA_DIR</c>: the local data folder; buckets live under <c>s3/</c>.</summary>
    public string DataDir { get; init; } = ".ingest";

    /// <summary>What the functions read from the environment (tables, endpoints, limits, telemetry).</summary>
    public HandlerSettings Functions { get; init; } = new();

    public string EffectiveSqlitePath => SqlitePath ?? Path.Combine(DataDir, "ingest.db");

    /// <summary>Reads the settings; <paramref name="getVariable"/> defaults to the process environment.</summary>
    public static LocalSettings FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? Get(string name) => getVariable(name) is { Length: > 0 } value ? value.Trim() : null;
        var defaults = new LocalSettings();
        return new LocalSettings
        {
            Store = Get("INGEST_STORE")?.ToLowerInvariant() ?? defaults.Store,
            SqlitePath = Get("INGEST_SQLITE_PATH"),
            Objects = Get("INGEST_OBJECTS")?.ToLowerInvariant() ?? defaults.Objects,
            DataDir = Get("INGEST_DATA_DIR") ?? defaults.DataDir,
            Functions = HandlerSettings.FromEnvironment(getVariable),
        };
    }

    public IStudentStore CreateStudentStore(TimeProvider? clock = null) => Store switch
    {
        "sqlite" => new SqliteStudentStore(EffectiveSqlitePath, clock),
        "dynamodb" => Functions.CreateStudentStore(clock),
        _ => throw new ConfigurationException($"INGEST_STORE must be 'sqlite' or 'dynamodb', not '{Store}'."),
    };

    public IFileLedger CreateFileLedger() => Store switch
    {
        "sqlite" => new SqliteFileLedger(EffectiveSqlitePath),
        "dynamodb" => Functions.CreateFileLedger(),
        _ => throw new ConfigurationException($"INGEST_STORE must be 'sqlite' or 'dynamodb', not '{Store}'."),
    };

    public IObjectStore CreateObjectStore() => Objects switch
    {
        "folder" => new LocalFolderObjectStore(Path.Combine(DataDir, "s3")),
        "s3" => Functions.CreateObjectStore(),
        _ => throw new ConfigurationException($"INGEST_OBJECTS must be 'folder' or 's3', not '{Objects}'."),
    };
}
