using Npgsql;

namespace Minsheng.Testing;

/// <summary>
/// The real PostgreSQL server the test script started (<c>MINSHENG_TEST_POSTGRES</c>), and fresh databases on it, one
/// per test, so tests never share state. Without the variable the tests fail, never skip: the test script always
/// starts one, so a missing server is a broken setup, not a reason to pass.
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "MINSHENG_TEST_POSTGRES";

    /// <summary>Whether the variable names a server (for the few tests that are skipped, not failed, without one).</summary>
    public static bool IsConfigured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable));

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. These tests need a PostgreSQL server: run ./scripts/test.sh, or start one with " +
                $"`export {EnvironmentVariable}=\"$(scripts/postgres.sh start \"$(mktemp -d)\" 55432 | tail -n 1)\"` and run dotnet test again.");

    /// <summary>Creates an empty, uniquely named database on <paramref name="admin"/> (the test server by default) and returns its connection string.</summary>
    public static async Task<string> CreateDatabase(string? admin = null, bool pooling = false, string prefix = "t_")
    {
        admin ??= AdminConnectionString;
        var name = prefix + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = pooling }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabase"/>, closing its connections.</summary>
    public static async Task DropDatabase(string connectionString, string? admin = null)
    {
        admin ??= AdminConnectionString;
        using (var pooled = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(pooled);
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Runs <paramref name="sql"/> and returns its single value as a number.</summary>
    public static async Task<long> Scalar(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <paramref name="sql"/> and returns its single value as text.</summary>
    public static async Task<string> Text(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
