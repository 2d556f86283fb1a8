namespace Ingestion.Testing;

/// <summary>Reads one value from a SQLite file the way a user's own tool would: its own connection, no pooling.</summary>
public static class SqliteProbe
{
    public static long Scalar(string database, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL of the tests.
        command.CommandText = sql;
#pragma warning restore CA2100
        return (long)command.ExecuteScalar()!;
    }
}
