using System.Diagnostics;
using System.Globalization;
using Ingestion.Domain;
using Ingestion.Storage.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ingestion.Storage.Local.Recovery;

/// <summary>A local process: the host it runs on, its id and its start time (so a reused id is not taken for it).</summary>
public sealed record LocalProcess(string Host, int Pid, DateTimeOffset StartedAt)
{
    /// <summary>Two readings of one process's start time may differ by clock rounding; a reused id starts much later.</summary>
    private static readonly TimeSpan StartTolerance = TimeSpan.FromSeconds(1);

    /// <summary>This process.</summary>
    public static LocalProcess Current { get; } = Describe();

    /// <summary>Whether the process is still running: false when its host is this one and no process with its id and start time is.</summary>
    /// <remarks>A process of another host (a data folder on a shared drive) cannot be checked and counts as running.</remarks>
    public bool IsRunning
    {
        get
        {
            if (!string.Equals(Host, Current.Host, StringComparison.Ordinal))
            {
                return true;
            }

            if (Pid == Current.Pid)
            {
                return (StartedAt - Current.StartedAt).Duration() <= StartTolerance;
            }

            try
            {
                using var process = Process.GetProcessById(Pid);
                return !process.HasExited && (new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero) - StartedAt).Duration() <= StartTolerance;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                return false;
            }
        }
    }

    /// <summary>A file-name-safe tag naming this process, for files it alone may write (see <see cref="OfTag"/>).</summary>
    public string Tag => string.Create(CultureInfo.InvariantCulture, $"{Pid}-{StartedAt.ToUnixTimeMilliseconds()}-{HostHash(Host)}");

    /// <summary>The process a <see cref="Tag"/> names; null when the text is no tag. A tag of another host keeps "another host" as its host.</summary>
    public static LocalProcess? OfTag(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var parts = tag.Split('-');
        return parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var started)
            ? new LocalProcess(parts[2] == HostHash(Current.Host) ? Current.Host : "another host", pid, DateTimeOffset.FromUnixTimeMilliseconds(started))
            : null;
    }

    /// <summary>A host name can hold any character; its hash fits a file name.</summary>
    private static string HostHash(string host) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(host)).AsSpan(0, 4));

    private static LocalProcess Describe()
    {
        using var self = Process.GetCurrentProcess();
        return new LocalProcess(Environment.MachineName, self.Id, new DateTimeOffset(self.StartTime.ToUniversalTime(), TimeSpan.Zero));
    }
}

/// <summary>An IngestFile execution a local process started and has not seen to its end.</summary>
/// <param name="Input">The execution's input (the Object Created event, or NightlySync's event of that shape), as JSON.</param>
public sealed record LocalRun(string ExecutionName, string Input, LocalProcess Owner, DateTimeOffset StartedAt);

/// <summary>
/// Which local process runs which IngestFile execution: table <c>LocalRuns</c> of the local SQLite file. A row is
/// written when an execution registers its file and deleted when the execution ends, so a row whose process is gone
/// is an execution a crash (SIGKILL, power loss) left unfinished.
/// </summary>
/// <remarks>
/// On AWS, Step Functions keeps executions alive across any one machine; locally the interpreter runs inside the
/// <c>ingest</c> process and dies with it, leaving the ledger entry IN_PROGRESS (blocking the file until the ledger's
/// lease expires) and the file in <c>incoming/</c>. This table is what lets the next <c>ingest</c> finish that work.
/// </remarks>
public sealed class LocalRunRegistry : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS LocalRuns (
            ExecutionName TEXT NOT NULL PRIMARY KEY,
            Input TEXT NOT NULL,
            Host TEXT NOT NULL,
            Pid INTEGER NOT NULL,
            ProcessStartedAt TEXT NOT NULL,
            StartedAt TEXT NOT NULL
        ) WITHOUT ROWID;
        """;

    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly TimeProvider _clock;
    private readonly LocalProcess _self;
    private readonly Lock _gate = new();

    public LocalRunRegistry(string databasePath, TimeProvider? clock = null, LocalProcess? self = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        _path = databasePath;
        _clock = clock ?? TimeProvider.System;
        _self = self ?? LocalProcess.Current;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            _connection.Open();
            SqlitePragmas.Apply(_connection);
            // It shares ingest.db with the store and the ledger: like theirs, its commits leave checkpoints to the checkpointer.
            SqliteCheckpointer.Configure(_connection);
            Execute(Schema);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>Records that this process runs the execution (before it writes anything the crash could strand).</summary>
    public void Claim(string executionName, string input)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionName);
        ArgumentNullException.ThrowIfNull(input);
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT OR REPLACE INTO LocalRuns (ExecutionName, Input, Host, Pid, ProcessStartedAt, StartedAt)
                VALUES ($name, $input, $host, $pid, $processStartedAt, $startedAt);
                """;
            command.Parameters.AddWithValue("$name", executionName);
            command.Parameters.AddWithValue("$input", input);
            command.Parameters.AddWithValue("$host", _self.Host);
            command.Parameters.AddWithValue("$pid", _self.Pid);
            command.Parameters.AddWithValue("$processStartedAt", TimeFormat.ToStorage(_self.StartedAt));
            command.Parameters.AddWithValue("$startedAt", TimeFormat.ToStorage(_clock.GetUtcNow()));
            SqliteLockWaits.Take(_path, command.ExecuteNonQuery);
        }
    }

    /// <summary>The execution has ended (whatever its result): forget it.</summary>
    public void Release(string executionName)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM LocalRuns WHERE ExecutionName = $name AND Host = $host AND Pid = $pid;";
            command.Parameters.AddWithValue("$name", executionName);
            command.Parameters.AddWithValue("$host", _self.Host);
            command.Parameters.AddWithValue("$pid", _self.Pid);
            SqliteLockWaits.Take(_path, command.ExecuteNonQuery);
        }
    }

    /// <summary>Every recorded run, oldest first.</summary>
    public IReadOnlyList<LocalRun> List()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT ExecutionName, Input, Host, Pid, ProcessStartedAt, StartedAt FROM LocalRuns ORDER BY StartedAt, ExecutionName;";
            using var reader = command.ExecuteReader();
            var runs = new List<LocalRun>();
            while (reader.Read())
            {
                runs.Add(new LocalRun(
                    reader.GetString(0),
                    reader.GetString(1),
                    new LocalProcess(reader.GetString(2), reader.GetInt32(3), TimeFormat.FromStorage(reader.GetString(4))),
                    TimeFormat.FromStorage(reader.GetString(5))));
            }

            return runs;
        }
    }

    /// <summary>Runs whose process has ended without seeing them to their end.</summary>
    public IReadOnlyList<LocalRun> Orphans() => [.. List().Where(run => !run.Owner.IsRunning)];

    /// <summary>Takes an orphan over: true for exactly one caller, however many processes recover at once.</summary>
    public bool TryTake(LocalRun orphan)
    {
        ArgumentNullException.ThrowIfNull(orphan);
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM LocalRuns WHERE ExecutionName = $name AND Host = $host AND Pid = $pid AND ProcessStartedAt = $processStartedAt;";
            command.Parameters.AddWithValue("$name", orphan.ExecutionName);
            command.Parameters.AddWithValue("$host", orphan.Owner.Host);
            command.Parameters.AddWithValue("$pid", orphan.Owner.Pid);
            command.Parameters.AddWithValue("$processStartedAt", TimeFormat.ToStorage(orphan.Owner.StartedAt));
            return SqliteLockWaits.Take(_path, command.ExecuteNonQuery) == 1;
        }
    }

    public void Dispose() => _connection.Dispose();

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL from this class only.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.ExecuteNonQuery();
    }

    public static string Describe(LocalProcess process) =>
        string.Create(CultureInfo.InvariantCulture, $"process {process.Pid} on {process.Host}");
}
