using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Minsheng.Silo.Api;
using Minsheng.Silo.Audit;

namespace Minsheng.Silo.Auth;

/// <summary>
/// An action only the office may take; <see cref="Reason"/> is what a refused caller reads. <see cref="InPlan"/>: an
/// action on one plan (a case), which a region's office (<c>region-office:{id}</c>) may also take in its region's plans.
/// </summary>
public sealed record OfficeOnly(string Reason, bool InPlan = false) : IAuthorizationRequirement;

/// <summary>
/// Meets <see cref="OfficeOnly"/> for a caller whose role is <c>office</c>, and for an in-plan action also for a
/// <c>region-office</c>: whether the plan is in its region is decided by the plan group's filter
/// (<see cref="Minsheng.Silo.Api.PlanRouteFilter.RequirePlan"/>), which runs on every plan endpoint after authorization
/// and refuses a plan the caller may not use (403 naming <c>planId</c>), so the plan is judged in one place only.
/// </summary>
public sealed class OfficeOnlyHandler : AuthorizationHandler<OfficeOnly>
{
    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OfficeOnly requirement)
    {
        var caller = CallerIdentity.Of(context.User)?.Caller;
        if (caller?.IsOffice == true || (requirement.InPlan && caller?.Kind == CallerKind.RegionOffice)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Answers a valid caller refused by <see cref="OfficeOnly"/> with the same Chinese 403 problem the handlers gave
/// (field <c>role</c>), and audits it when the endpoint is an audited write; everything else goes to the default handler.
/// </summary>
public sealed class OfficeOnlyRefusals : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    /// <inheritdoc />
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && CallerIdentity.Of(context.User)?.Caller is not null
            && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<OfficeOnly>().FirstOrDefault() is { } office)
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<Minsheng.Silo.Audit.AuditedAction>() is { } action)
                await AuditRefusals.Record(context, action.Action, 403, "role", office.Reason);
            await Problems.Write(context, 403, Problems.TitleOf(403), "role", office.Reason);
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

/// <summary>Office-only endpoints.</summary>
public static class OfficeOnlyEndpoints
{
    /// <summary>Requires a valid caller (as the fallback policy does) whose role is <c>office</c>; others get 403 with <paramref name="reason"/>.</summary>
    public static RouteHandlerBuilder RequireOffice(this RouteHandlerBuilder builder, string reason) =>
        builder.RequireAuthorization(policy => policy.Combine(AuthSetup.CallerPolicy).AddRequirements(new OfficeOnly(reason)));

    /// <summary>
    /// An office action on one plan: <c>office</c>, or <c>region-office</c> of the plan's region. Only on endpoints of a
    /// group with <see cref="Minsheng.Silo.Api.PlanRouteFilter.RequirePlan"/>, which refuses a plan outside the region.
    /// </summary>
    public static RouteHandlerBuilder RequirePlanOffice(this RouteHandlerBuilder builder, string reason) =>
        builder.RequireAuthorization(policy => policy.Combine(AuthSetup.CallerPolicy).AddRequirements(new OfficeOnly(reason, InPlan: true)));
}
