using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Minsheng.Silo.Auth;

namespace Minsheng.Silo.Audit;

/// <summary>
/// An endpoint filter on every write: when an authenticated caller's request is refused, the audit log records who
/// tried what and why, before the refusal is sent. Accepted writes are recorded by their handlers.
/// </summary>
public sealed class AuditRefusals(string action) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (result is ProblemHttpResult { StatusCode: >= 400 } refused)
            Minsheng.Silo.Hosting.MinshengMetrics.WritesRefused.Add(1,
                new KeyValuePair<string, object?>("action", action), new KeyValuePair<string, object?>("status", refused.StatusCode));
        if (result is ProblemHttpResult { StatusCode: >= 400 } problem && Caller.From(context.HttpContext.User, context.HttpContext.RequestServices.GetRequiredService<Minsheng.Domain.Plans.PlanCatalog>()) is { } caller)
        {
            var route = context.HttpContext.Request.RouteValues;
            var detail = new JsonObject
            {
                ["path"] = context.HttpContext.Request.Path.Value,
                ["field"] = problem.ProblemDetails.Extensions.TryGetValue("field", out var f) ? f?.ToString() : null,
                ["reason"] = problem.ProblemDetails.Extensions.TryGetValue("reason", out var r) ? r?.ToString() : null,
            };
            var audit = context.HttpContext.RequestServices.GetRequiredService<IAuditLog>();
            var clock = context.HttpContext.RequestServices.GetRequiredService<Minsheng.Grains.BusinessClock>();
            await audit.Append(new AuditEntry(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)), caller.Role, action, "refused", problem.StatusCode,
                route["planId"] as string, null, route["taskId"] as string, route["unitId"] as string, null, detail, caller.Person));
        }
        return result;
    }
}

public static class AuditEndpointExtensions
{
    /// <summary>Records refusals of this write endpoint in the audit log.</summary>
    public static RouteHandlerBuilder AuditRefusals(this RouteHandlerBuilder builder, string action) =>
        builder.AddEndpointFilter(new AuditRefusals(action));
}
