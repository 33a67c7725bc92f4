namespace Minsheng.Silo.Hosting;

/// <summary>The PostgreSQL connection string (<c>ConnectionStrings:Minsheng</c>).</summary>
public static class PostgresConnection
{
    public const string Name = "Minsheng";

    public static string Require(IConfiguration configuration) =>
        configuration.GetConnectionString(Name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("Minsheng:Storage=Postgres needs ConnectionStrings:Minsheng.");
}
