using Microsoft.AspNetCore.Http.HttpResults;
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

    /// <summary>A route of a plan the caller already found (a region's views read each of its plans like the plan views do).</summary>
    internal static PlanRoute Of(PlanIndex plan) => new(plan);

    internal static PlanIndex? Find(HttpContext context) =>
        context.Request.RouteValues["planId"] is string id ? context.RequestServices.GetRequiredService<PlanCatalog>().Find(id) : null;
}

/// <summary>
/// The one place an unknown <c>{planId}</c> becomes a 404 problem, and the one place a caller is kept out of a plan it
/// may not use (a unit role of another district, a region role of another region): 403 naming <c>planId</c>, before
/// any handler reads or writes anything of that plan.
/// </summary>
public static class PlanRouteFilter
{
    /// <summary>
    /// Answers 404 (field <c>planId</c>) for a plan no catalog holds and 403 (field <c>planId</c>) for a plan the caller
    /// may not use (<see cref="Caller.MayUse"/>); lists those answers on every endpoint of the group. A write group adds
    /// its audit filter first, so both refusals of a write are audited.
    /// </summary>
    public static RouteGroupBuilder RequirePlan(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(static (context, next) =>
            PlanRoute.Find(context.HttpContext) is not { } plan
                ? ValueTask.FromResult<object?>(CatalogApi.PlanNotFound(context.HttpContext.Request.RouteValues["planId"] as string ?? ""))
                : OutOfScope(context.HttpContext, plan.Plan) is { } refused ? ValueTask.FromResult<object?>(refused)
                : next(context));
        return group.ProducesProblems(404); // 403 is among every API group's guarded answers
    }

    /// <summary>The 403 for a caller who may not use <paramref name="plan"/>, or null.</summary>
    internal static ProblemHttpResult? OutOfScope(HttpContext context, Plan plan) =>
        CallerIdentity.Of(context.User)?.Caller?.RefusalIn(plan) is { } reason ? Problems.Forbidden("planId", reason) : null;
}
