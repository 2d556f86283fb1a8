using Ingestion.Local.Definitions;

namespace Ingestion.Local;

/// <summary>
/// The local data folder and what lives in it: buckets under <c>s3/</c> (the local bucket is <c>s3/ingestion/</c>),
/// <c>ingest.db</c> (students, file ledger), <c>outbox.db</c> (the outbox that plays SNS), and <c>logs/</c> (the
/// functions' JSON logs and EMF metrics).
/// Local mode writes nowhere else.
/// </summary>
public sealed record LocalDataFolder
{
    /// <summary>The folder when neither <c>--data-dir</c> nor <c>INGEST_DATA_DIR</c> names one.</summary>
    public const string DefaultPath = ".ingest";

    /// <summary>The environment variable that names the folder.</summary>
    public const string EnvironmentVariable = "INGEST_DATA_DIR";

    public LocalDataFolder(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The data folder, as an absolute path.</summary>
    public string Root { get; }

    /// <summary>The folder that holds one folder per bucket.</summary>
    public string ObjectsRoot => Path.Combine(Root, "s3");

    public string Database => Path.Combine(Root, "ingest.db");

    /// <summary>
    /// The outbox's own file. On AWS, SNS and DynamoDB are separate services; here too, publishing a notification
    /// never waits for the students' writer to let go of <see cref="Database"/>'s write lock.
    /// </summary>
    public string OutboxDatabase => Path.Combine(Root, "outbox.db");

    public string Logs => Path.Combine(Root, "logs");

    /// <summary>Uploads begun and not yet handed to their run (<see cref="Ingestion.Storage.Local.Recovery.PendingUploads"/>).</summary>
    public string Uploads => Path.Combine(Root, "uploads");

    /// <summary>The functions' Powertools-style JSON log lines.</summary>
    public string HandlersLog => Path.Combine(Logs, "handlers.log");

    /// <summary>Embedded Metric Format documents: the functions' metrics and the definitions' PutMetricData calls.</summary>
    public string MetricsLog => Path.Combine(Logs, "metrics.log");

    /// <summary>Where a user drops files for <c>ingest watch</c> and <c>ingest sync</c>.</summary>
    public string IncomingFolder => BucketPath(LocalResources.BucketName, "incoming/");

    public bool Exists => Directory.Exists(Root);

    /// <summary>The file that holds an object of a local bucket.</summary>
    public string BucketPath(string bucket, string key) =>
        Path.Combine(ObjectsRoot, bucket, key.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// The folder to use: <paramref name="option"/> (<c>--data-dir</c>), else <c>INGEST_DATA_DIR</c>, else
    /// <c>./.ingest</c>, relative to the current directory.
    /// </summary>
    public static LocalDataFolder Resolve(string? option, Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var chosen = !string.IsNullOrWhiteSpace(option) ? option
            : getVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment) ? fromEnvironment.Trim()
            : DefaultPath;
        return new LocalDataFolder(chosen);
    }
}
