using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Minsheng.Silo.Api;
using Minsheng.Silo.Audit;

namespace Minsheng.Silo.Auth;

/// <summary>An action only the district office (<c>office</c>) may take; <see cref="Reason"/> is what a refused caller reads.</summary>
public sealed record OfficeOnly(string Reason) : IAuthorizationRequirement;

/// <summary>Meets <see cref="OfficeOnly"/> for a caller whose role is <c>office</c>.</summary>
public sealed class OfficeOnlyHandler : AuthorizationHandler<OfficeOnly>
{
    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OfficeOnly requirement)
    {
        if (CallerIdentity.Of(context.User)?.Caller?.IsOffice == true) context.Succeed(requirement);
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
}
