using Npgsql;

namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>
/// The real PostgreSQL server the test script started (<c>MINSHENG_TEST_POSTGRES</c>), and fresh databases on it, one
/// per test, so tests never share state. Without the variable the tests fail: the README's test command always starts one.
/// </summary>
public static class TestPostgres
{
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("MINSHENG_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("MINSHENG_TEST_POSTGRES is not set: run the tests with ./scripts/test.sh, which starts PostgreSQL.");

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabase(string? admin = null)
    {
        admin ??= AdminConnectionString;
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString;
    }

    public static async Task<long> Scalar(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
