using Minsheng.Domain.Plans;

namespace Minsheng.Silo.Api;

/// <summary>Liveness and readiness; the only endpoints that need no token.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").AllowAnonymous().WithTags("Health");
        // Liveness never depends on storage: a slow database must not get the process restarted.
        group.MapGet("/live", () => TypedResults.Ok(new { status = "live" }));
        group.MapGet("/ready", async (IGrainFactory grains, PlanCatalog catalog, IServiceProvider services, CancellationToken cancellationToken) =>
        {
            try
            {
                // A real grain call proves the silo is up and placement works; in PostgreSQL mode storage must answer too.
                await grains.GetGrain<Minsheng.Grains.IPlanGrain>(catalog.Plans[0].Id).GetFacts();
                if (services.GetService<Npgsql.NpgsqlDataSource>() is { } database)
                {
                    await using var command = database.CreateCommand("SELECT 1");
                    await command.ExecuteScalarAsync(cancellationToken);
                }
                return Results.Ok(new { status = "ready" });
            }
            catch (Exception)
            {
                return Problems.Result(503, "silo", "服务尚未就绪");
            }
        });
        return app;
    }
}
