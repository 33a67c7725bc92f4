using Minsheng.Domain;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Minsheng.Silo.Auth;

namespace Minsheng.Silo.Audit;

/// <summary>The audited action of a write endpoint, as endpoint metadata.</summary>
public sealed record AuditedAction(AuditAction Action);

/// <summary>
/// A route-group filter, outermost on every group that holds writes: when an authenticated caller's request to an
/// endpoint with an <see cref="AuditedAction"/> is refused (by the group's plan lookup or the handler), the audit log
/// records who tried what and why, before the refusal is sent. Refusals by an authorization policy are recorded by
/// <see cref="Record"/> from the policy's result handler; accepted writes by their handlers.
/// </summary>
public sealed class AuditRefusals : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        // Typed handlers answer Results<…, ProblemHttpResult>: the problem is the union's inner result.
        var answer = result is INestedHttpResult nested ? nested.Result : result;
        if (answer is ProblemHttpResult { StatusCode: >= 400 } problem
            && context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<AuditedAction>() is { } action)
        {
            await Record(context.HttpContext, action.Action, problem.StatusCode,
                problem.ProblemDetails.Extensions.TryGetValue("field", out var f) ? f?.ToString() : null,
                problem.ProblemDetails.Extensions.TryGetValue("reason", out var r) ? r?.ToString() : null);
        }
        return result;
    }

    /// <summary>Counts a refused write and, when the caller is known, appends it to the audit log.</summary>
    public static async Task Record(HttpContext http, AuditAction action, int status, string? field, string? reason)
    {
        http.RequestServices.GetRequiredService<Minsheng.Silo.Hosting.MinshengMetrics>().WritesRefused.Add(1,
            new KeyValuePair<string, object?>("action", action.WireName()), new KeyValuePair<string, object?>("status", status));
        if (Caller.From(http.User, http.RequestServices.GetRequiredService<Minsheng.Domain.Plans.PlanCatalog>()) is not { } caller) return;
        var route = http.Request.RouteValues;
        var detail = new JsonObject { ["path"] = http.Request.Path.Value, ["field"] = field, ["reason"] = reason };
        var audit = http.RequestServices.GetRequiredService<IAuditLog>();
        var clock = http.RequestServices.GetRequiredService<Minsheng.Grains.BusinessClock>();
        await audit.Append(new AuditEntry(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)), caller.Role, action, AuditOutcome.Refused, status,
            route["planId"] as string, null, route["taskId"] as string, route["unitId"] as string, null, detail, caller.Person));
    }
}

/// <summary>Marks writes for the audit log.</summary>
public static class AuditEndpointExtensions
{
    /// <summary>Names this write endpoint's action; its group's <see cref="AuditsRefusals"/> filter records refusals of it.</summary>
    public static RouteHandlerBuilder AuditRefusals(this RouteHandlerBuilder builder, AuditAction action) =>
        builder.WithMetadata(new AuditedAction(action));

    /// <summary>Adds the audit filter to a group; call it first, so it sees every refusal the group's other filters give.</summary>
    public static RouteGroupBuilder AuditsRefusals(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter<RouteGroupBuilder, AuditRefusals>();
        return group;
    }
}
