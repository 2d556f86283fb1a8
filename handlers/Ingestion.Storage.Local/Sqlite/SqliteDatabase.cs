using Microsoft.Data.Sqlite;

namespace Ingestion.Storage.Local.Sqlite;

/// <summary>How both SQLite adapters open the database file: WAL, synchronous=NORMAL, a busy timeout, the schema.</summary>
/// <remarks>
/// WAL lets readers run beside the one writer; <c>BEGIN IMMEDIATE</c> takes the write lock before a batch reads its
/// rows, so read-decide-write is atomic across connections and processes; the busy timeout makes a second writer
/// wait for the lock instead of failing.
/// </remarks>
internal sealed record SqliteOptions(string Path)
{
    /// <summary>How long a writer waits for another connection's lock before failing.</summary>
    public TimeSpan BusyTimeout { get; init; } = SqlitePragmas.DefaultBusyTimeout;

    /// <summary>Connection pooling; off by default so the file can be deleted or moved once the adapter is disposed.</summary>
    public bool Pooling { get; init; }
}

internal static class SqliteDatabase
{
    /// <summary>
    /// The schema's version, kept in the file's <c>user_version</c>: a file already at it needs no write to open, so
    /// opening it never waits for a write lock another process holds (a command would hang silently before its first
    /// line). Raise it whenever <see cref="Schema"/> or <see cref="Migrate"/> changes.
    /// </summary>
    private const long SchemaVersion = 1;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS Students (
            StudentID TEXT NOT NULL PRIMARY KEY,
            Name TEXT NOT NULL,
            Department TEXT NOT NULL,
            Email TEXT NOT NULL,
            Extras TEXT NULL,
            CreatedAt TEXT NOT NULL,
            UpdatedAt TEXT NOT NULL,
            SourceKey TEXT NOT NULL,
            SourceVersion TEXT NOT NULL,
            SourceTime TEXT NOT NULL,
            SourceIndex INTEGER NOT NULL,
            ContentHash TEXT NOT NULL,
            SeenTime TEXT NULL
        ) WITHOUT ROWID;
        -- No index on Department (DynamoDB's GSI has one): a department is a sixteenth of the students or so, and
        -- listing one of a million by a scan in StudentID order took 0.26 s against 0.19 s through the index, while
        -- keeping the index up cost a first load of a million 11% of its time (each batch rewrote a page per
        -- department). Earlier files lose it on open.
        DROP INDEX IF EXISTS Students_Department;
        CREATE TABLE IF NOT EXISTS IngestionFiles (
            FileId TEXT NOT NULL,
            Version TEXT NOT NULL,
            Bucket TEXT NOT NULL,
            Key TEXT NOT NULL,
            ETag TEXT NULL,
            Size INTEGER NOT NULL,
            SourceTime TEXT NOT NULL,
            Status TEXT NOT NULL,
            ExecutionName TEXT NOT NULL,
            RegisteredAt TEXT NOT NULL,
            Attempts INTEGER NOT NULL,
            CompletedAt TEXT NULL,
            Counts TEXT NULL,
            ReportKey TEXT NULL,
            Error TEXT NULL,
            PRIMARY KEY (FileId, Version)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS IngestionFiles_RegisteredAt ON IngestionFiles (RegisteredAt);
        CREATE INDEX IF NOT EXISTS IngestionFiles_Key ON IngestionFiles (Key, RegisteredAt);
        """;

    /// <summary>Opens a connection, sets the pragmas and creates the schema if missing.</summary>
    public static SqliteConnection Open(SqliteOptions options, bool createSchema = true)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = options.Pooling,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            SqlitePragmas.Apply(connection, options.BusyTimeout);
            if (createSchema && UserVersion(connection) < SchemaVersion)
            {
                SqliteLockWaits.Take(options.Path, () => Execute(connection, "BEGIN IMMEDIATE;"));
                Execute(connection, Schema);
                Migrate(connection);
                Execute(connection, $"PRAGMA user_version = {SchemaVersion};");
                Execute(connection, "COMMIT;");
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static long UserVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Brings a file written by an earlier version up to the schema: columns added since.</summary>
    private static void Migrate(SqliteConnection connection)
    {
        // SeenTime (the seen marker) came after the first files: added NULL, which means "no newer export confirmed it".
        using var probe = connection.CreateCommand();
        probe.CommandText = "SELECT COUNT(*) FROM pragma_table_info('Students') WHERE name = 'SeenTime';";
        if (Convert.ToInt64(probe.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            Execute(connection, "ALTER TABLE Students ADD COLUMN SeenTime TEXT NULL;");
        }
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Only constant SQL from this class reaches here.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.ExecuteNonQuery();
    }

    public static SqliteCommand Prepare(SqliteConnection connection, string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // Only constant SQL from the adapters reaches here; values go through parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }

    public static object DbValue(string? value) => value is null ? DBNull.Value : value;

    public static string? GetNullableString(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
