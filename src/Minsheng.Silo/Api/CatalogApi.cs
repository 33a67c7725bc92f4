using Microsoft.AspNetCore.Http.HttpResults;
using Minsheng.Domain.Plans;

namespace Minsheng.Silo.Api;

/// <summary>The plans and their catalog (projects, tasks, assignments, units).</summary>
public static class CatalogApi
{
    public sealed record PlanSummary(string Id, string Title, int Year, DateOnly Start, DateTimeOffset Deadline, DateTimeOffset FinalDeadline);

    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plans").WithTags("Catalog");
        group.MapGet("/", ListPlans).WithName("ListPlans").WithSummary("Lists the plans this service runs.");
        group.MapGet("/{planId}", GetPlan).WithName("GetPlan").WithSummary("One plan's whole catalog.");
        return app;
    }

    private static Ok<List<PlanSummary>> ListPlans(PlanCatalog catalog) => TypedResults.Ok(
        catalog.Plans.Select(p => p.Plan).Select(p => new PlanSummary(p.Id, p.Title, p.Year, p.Start, p.Deadline, p.FinalDeadline)).ToList());

    private static IResult GetPlan(string planId, PlanCatalog catalog) =>
        catalog.Find(planId) is { } plan ? TypedResults.Ok(plan.Plan) : PlanNotFound(planId);

    internal static IResult PlanNotFound(string planId) => Problems.NotFound("planId", $"计划“{planId}”不存在");
}
