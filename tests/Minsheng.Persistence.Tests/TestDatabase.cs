using Npgsql;

namespace Minsheng.Persistence.Tests;

/// <summary>
/// A fresh, uniquely named database on the test server (<see cref="TestPostgres"/>), dropped on dispose,
/// so every test starts from nothing and tests cannot see each other.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private TestDatabase(string adminConnectionString, string name, string connectionString)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var admin = TestPostgres.AdminConnectionString;
        var connectionString = await TestPostgres.CreateDatabase(admin, pooling: true, prefix: "mstest_");
        return new TestDatabase(admin, new NpgsqlConnectionStringBuilder(connectionString).Database!, connectionString);
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = await command.ExecuteScalarAsync();
        return (T)result!;
    }

    public async Task<List<T>> ColumnAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<T>();
        while (await reader.ReadAsync()) list.Add(reader.GetFieldValue<T>(0));
        return list;
    }

    public async ValueTask DisposeAsync() => await TestPostgres.DropDatabase(ConnectionString, _adminConnectionString);
}
