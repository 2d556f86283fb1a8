using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ingestion.Storage.Local.Sqlite;

/// <summary>
/// A prepared statement on a <see cref="SqliteConnection"/>'s handle, for the adapters' hot paths: text bound from
/// UTF-8 (a string is encoded into a buffer the statement reuses, never a new array), columns read as UTF-8 spans,
/// parameters that do not change between executions bound once (SQLite keeps bindings across resets). Errors are
/// Microsoft.Data.Sqlite's <see cref="SqliteException"/>, as from its commands.
/// </summary>
/// <remarks>Not thread-safe, like the connection it belongs to; dispose it before the connection.</remarks>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private byte[] _scratch = new byte[512];

    /// <param name="sql">One statement; parameters are numbered (<c>?1</c>, <c>?2</c>…).</param>
    public SqliteStatement(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public void BindText(int index, ReadOnlySpan<byte> utf8) => Check(raw.sqlite3_bind_text(_statement, index, utf8));

    /// <summary>Binds a string (null binds NULL), encoded to UTF-8 in the statement's buffer; SQLite copies it.</summary>
    public void BindText(int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(_statement, index));
            return;
        }

        var most = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (most > _scratch.Length)
        {
            _scratch = new byte[Math.Max(most, _scratch.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(value, _scratch);
        Check(raw.sqlite3_bind_text(_statement, index, _scratch.AsSpan(0, length)));
    }

    public void BindInt64(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    /// <summary>Steps once: true when a row is ready to read, false when the statement is done.</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc == raw.SQLITE_DONE)
        {
            return false;
        }

        raw.sqlite3_reset(_statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
        return false;
    }

    /// <summary>Runs a statement that returns no rows, and resets it for the next execution.</summary>
    public void Execute()
    {
        try
        {
            while (Step())
            {
            }
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Ends a query early (or after its last row) so the statement can run again; bindings are kept.</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    /// <summary>A text column of the current row as UTF-8, valid until the next step or reset.</summary>
    public ReadOnlySpan<byte> ColumnUtf8(int index) => raw.sqlite3_column_blob(_statement, index);

    public string ColumnString(int index) => Encoding.UTF8.GetString(ColumnUtf8(index));

    public long ColumnInt64(int index) => raw.sqlite3_column_int64(_statement, index);

    public bool ColumnIsNull(int index) => raw.sqlite3_column_type(_statement, index) == raw.SQLITE_NULL;

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
