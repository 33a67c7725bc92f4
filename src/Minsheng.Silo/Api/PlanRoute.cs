using Minsheng.Domain.Plans;

namespace Minsheng.Silo.Api;

/// <summary>
/// The plan a route names (<c>{planId}</c>), bound as a handler parameter. Route groups under
/// <c>/api/v1/plans/{planId}</c> call <see cref="PlanRouteFilter.RequirePlan"/>, which answers 404 for an unknown plan
/// before any handler runs, so handlers never look the plan up or write that 404 themselves.
/// </summary>
public sealed class PlanRoute
{
    private static readonly PlanRoute Missing = new(null);
    private readonly PlanIndex? _index;

    private PlanRoute(PlanIndex? index) => _index = index;

    /// <summary>The plan.</summary>
    public PlanIndex Index => _index
        ?? throw new InvalidOperationException("An endpoint bound PlanRoute in a group without RequirePlan(): an unknown plan reached its handler.");

    /// <summary>The plan's id (the route's <c>{planId}</c>).</summary>
    public string Id => Index.Id;

    /// <summary>
    /// Binds from the route. Never null: a null would make the framework answer 400 before the group's filter could
    /// answer 404, so an unknown plan binds to a placeholder the filter never lets through to a handler.
    /// </summary>
    public static ValueTask<PlanRoute?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<PlanRoute?>(Find(context) is { } plan ? new PlanRoute(plan) : Missing);

    internal static PlanIndex? Find(HttpContext context) =>
        context.Request.RouteValues["planId"] is string id ? context.RequestServices.GetRequiredService<PlanCatalog>().Find(id) : null;
}

/// <summary>The one place an unknown <c>{planId}</c> becomes a 404 problem.</summary>
public static class PlanRouteFilter
{
    /// <summary>Answers 404 (field <c>planId</c>) for a plan no catalog holds; lists that answer on every endpoint of the group.</summary>
    public static RouteGroupBuilder RequirePlan(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(static (context, next) =>
            PlanRoute.Find(context.HttpContext) is null
                ? ValueTask.FromResult<object?>(CatalogApi.PlanNotFound(context.HttpContext.Request.RouteValues["planId"] as string ?? ""))
                : next(context));
        return group.ProducesProblems(404);
    }
}
