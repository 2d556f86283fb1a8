using System.Runtime.CompilerServices;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Microsoft.Data.Sqlite;

namespace Ingestion.Storage.Local.Sqlite;

/// <summary>The embedded <see cref="IFileLedger"/>: table <c>IngestionFiles</c> in the same SQLite file as the students.</summary>
/// <remarks>Each registration and completion is one <c>BEGIN IMMEDIATE</c> transaction: a conditional write across processes.</remarks>
public sealed class SqliteFileLedger : IFileLedger, IDisposable
{
    /// <summary>How long an IN_PROGRESS entry blocks other executions when nobody completes it.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromHours(2);

    private const string Columns = "Bucket, Key, Version, ETag, Size, SourceTime, Status, ExecutionName, RegisteredAt, Attempts, CompletedAt, Counts, ReportKey, Error";

    private readonly SqliteOptions _options;
    private readonly TimeSpan _lease;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _writeLock;
    private readonly SqliteCheckpointer _checkpoints;
    private readonly SqliteConnection _connection;

    internal SqliteFileLedger(SqliteOptions options, TimeSpan? lease = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _lease = lease ?? DefaultLease;
        _connection = SqliteDatabase.Open(options);
        SqliteCheckpointer.Configure(_connection);
        _checkpoints = SqliteCheckpointer.Join(options.Path);
        _writeLock = SqliteWriteLock.For(options.Path);
    }

    public SqliteFileLedger(string path, TimeSpan? lease = null)
        : this(new SqliteOptions(path), lease)
    {
    }

    public async Task<RegistrationResult> RegisterAsync(LedgerFile file, string executionName, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentException.ThrowIfNullOrEmpty(executionName);
        return await InTransactionAsync(() =>
        {
            var existing = Read(file.Bucket, file.Key, file.Version);
            switch (LedgerRules.DecideRegistration(existing, executionName, now, _lease))
            {
                case RegistrationDecision.AlreadyMine:
                    return RegistrationResult.Registered(existing!);
                case RegistrationDecision.AlreadyProcessed:
                    return RegistrationResult.AlreadyProcessed(existing!);
                default:
                    var entry = LedgerRules.Registered(file, existing, executionName, now);
                    Upsert(entry);
                    return RegistrationResult.Registered(entry);
            }
        }, cancellationToken);
    }

    public async Task<bool> CompleteAsync(LedgerFile file, FileCompletion completion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(completion);
        return await InTransactionAsync(() =>
        {
            var existing = Read(file.Bucket, file.Key, file.Version);
            if (!LedgerRules.MayComplete(existing, completion.ExecutionName))
            {
                return false;
            }

            var entry = LedgerRules.Completed(file, existing, completion);
            Upsert(entry);
            return true;
        }, cancellationToken);
    }

    public async Task<LedgerEntry?> GetAsync(string bucket, string key, string version, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return Read(bucket, key, version);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async IAsyncEnumerable<LedgerEntry> ListAsync(string? key = null, int limit = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = SqliteDatabase.Open(_options, createSchema: false);
        using var command = reader.CreateCommand();
        command.CommandText = key is null
            ? $"SELECT {Columns} FROM IngestionFiles ORDER BY RegisteredAt DESC, FileId, Version LIMIT $limit;"
            : $"SELECT {Columns} FROM IngestionFiles WHERE Key = $key ORDER BY RegisteredAt DESC, FileId, Version LIMIT $limit;";
        command.Parameters.AddWithValue("$limit", limit);
        if (key is not null)
        {
            command.Parameters.AddWithValue("$key", key);
        }

        using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            yield return ReadEntry(rows);
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _checkpoints.Dispose();
        _gate.Dispose();
    }

    private static string FileId(string bucket, string key) => bucket + "/" + key;

    private async Task<T> InTransactionAsync<T>(Func<T> body, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                SqliteLockWaits.Take(_options.Path, () => SqliteDatabase.Execute(_connection, "BEGIN IMMEDIATE;"));
                try
                {
                    var result = body();
                    SqliteDatabase.Execute(_connection, "COMMIT;");
                    return result;
                }
                catch
                {
                    SqliteDatabase.Execute(_connection, "ROLLBACK;");
                    throw;
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private LedgerEntry? Read(string bucket, string key, string version)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM IngestionFiles WHERE FileId = $id AND Version = $version;";
        command.Parameters.AddWithValue("$id", FileId(bucket, key));
        command.Parameters.AddWithValue("$version", version);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadEntry(reader) : null;
    }

    private void Upsert(LedgerEntry entry)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"""
            INSERT OR REPLACE INTO IngestionFiles (FileId, {Columns})
            VALUES ($id, $bucket, $key, $version, $etag, $size, $sourceTime, $status, $execution, $registeredAt, $attempts, $completedAt, $counts, $reportKey, $error);
            """;
        var p = command.Parameters;
        p.AddWithValue("$id", FileId(entry.Bucket, entry.Key));
        p.AddWithValue("$bucket", entry.Bucket);
        p.AddWithValue("$key", entry.Key);
        p.AddWithValue("$version", entry.Version);
        p.AddWithValue("$etag", SqliteDatabase.DbValue(entry.ETag));
        p.AddWithValue("$size", entry.Size);
        p.AddWithValue("$sourceTime", TimeFormat.ToStorage(entry.SourceTime));
        p.AddWithValue("$status", entry.Status.ToWire());
        p.AddWithValue("$execution", entry.ExecutionName);
        p.AddWithValue("$registeredAt", TimeFormat.ToStorage(entry.RegisteredAt));
        p.AddWithValue("$attempts", entry.Attempts);
        p.AddWithValue("$completedAt", SqliteDatabase.DbValue(entry.CompletedAt is { } completed ? TimeFormat.ToStorage(completed) : null));
        p.AddWithValue("$counts", SqliteDatabase.DbValue(entry.Counts is null ? null : DomainJson.Serialize(entry.Counts)));
        p.AddWithValue("$reportKey", SqliteDatabase.DbValue(entry.ReportKey));
        p.AddWithValue("$error", SqliteDatabase.DbValue(entry.Error is null ? null : DomainJson.Serialize(entry.Error)));
        command.ExecuteNonQuery();
    }

    private static LedgerEntry ReadEntry(SqliteDataReader reader)
    {
        var counts = SqliteDatabase.GetNullableString(reader, 11);
        var error = SqliteDatabase.GetNullableString(reader, 13);
        var completedAt = SqliteDatabase.GetNullableString(reader, 10);
        return new LedgerEntry(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            SqliteDatabase.GetNullableString(reader, 3),
            reader.GetInt64(4),
            TimeFormat.FromStorage(reader.GetString(5)),
            FileStatusNames.Parse(reader.GetString(6)),
            reader.GetString(7),
            TimeFormat.FromStorage(reader.GetString(8)),
            reader.GetInt32(9),
            completedAt is null ? null : TimeFormat.FromStorage(completedAt),
            counts is null ? null : DomainJson.ReadRunCounts(counts),
            SqliteDatabase.GetNullableString(reader, 12),
            error is null ? null : DomainJson.ReadErrorInfo(error));
    }
}
