using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Minsheng.Domain;
using Minsheng.Domain.Notifications;
using Minsheng.Grains;
using Minsheng.Grains.Audit;
using Minsheng.Grains.Notifications;
using Minsheng.Silo.Api;
using Minsheng.Silo.Audit;
using Minsheng.Silo.Auth;

namespace Minsheng.Silo.Notifications;

/// <summary>
/// Notification subscriptions (订阅通知, the office's): an endpoint told of a plan's cases, deadline reminders, forecast
/// warnings, reviews and daily digests as they happen, as a signed webhook or a DingTalk robot message, with each
/// subscription's delivery history.
/// </summary>
public static class SubscriptionsApi
{
    /// <summary>At most this many deliveries in one answer of <c>GET .../deliveries</c>.</summary>
    public const int PageLimit = 500;

    private const string OfficeOnly = "只有区政府办公室（office）或本计划所属地区的 region-office 可以管理通知订阅";

    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plans/{planId}/subscriptions").WithTags("Subscriptions").AuditsRefusals().RequirePlan()
            .ProducesProblems(ApiProblemMetadata.Guarded);
        group.MapPost("", Add).WithName("AddSubscription").RequirePlanOffice(OfficeOnly)
            .WithSummary("订阅通知：把本计划的督办立案、督办超期未反馈、临近截止提醒、预计逾期预警、周晾晒发布、月度评估发布和每日提醒，按单位筛选，"
                + "发送到一个地址：webhook（JSON，HMAC-SHA256 签名，每次投递带幂等键）或钉钉自定义机器人（中文 markdown，加签）。"
                + "地址须在允许清单内。webhook 未提供 secret 时由服务生成，仅在本应答中返回一次。")
            .ReadsJson<SubscriptionBody>().ProducesProblems(422).AuditRefusals(AuditAction.SubscriptionAdd);
        group.MapGet("", List).WithName("GetSubscriptions").RequirePlanOffice(OfficeOnly)
            .WithSummary("本计划的通知订阅（不含密钥；地址中的查询参数值以 *** 隐去）。");
        group.MapDelete("/{subscriptionId}", Remove).WithName("DeleteSubscription").RequirePlanOffice(OfficeOnly)
            .WithSummary("取消一个通知订阅，连同其投递记录；尚未投递的通知不再发送。").ProducesProblems(404).AuditRefusals(AuditAction.SubscriptionRemove);
        group.MapGet("/{subscriptionId}/deliveries", Deliveries).WithName("GetSubscriptionDeliveries").RequirePlanOffice(OfficeOnly)
            .WithSummary("一个订阅的投递记录，最新在前：已送达（delivered）或多次重试后放弃（failed），以及正在重试的一条（pending：已试次数、下次时间、最近的错误）。")
            .ProducesProblems(400, 404);
        return app;
    }

    private static async Task<Results<Created<SubscriptionView>, ProblemHttpResult>> Add(PlanRoute route, Caller caller, HttpRequest request,
        INotificationStore store, IOptions<NotificationOptions> options, BusinessClock clock)
    {
        var (body, bad) = await JsonBody.Read<SubscriptionBody>(request);
        if (bad is not null) return bad;
        var (subscription, secret, problem) = await Check(body!, route, caller, store, options.Value, clock.GetUtcNow());
        if (problem is not null) return problem;
        await store.Add(subscription!);
        await Audit(request, caller, AuditAction.SubscriptionAdd, 201, route.Id, subscription!);
        return TypedResults.Created($"/api/v1/plans/{route.Id}/subscriptions/{subscription!.Id}", SubscriptionView.Of(subscription, secret));
    }

    private static async Task<Ok<List<SubscriptionView>>> List(PlanRoute route, INotificationStore store) =>
        TypedResults.Ok((await store.List(route.Id)).Select(s => SubscriptionView.Of(s)).ToList());

    private static async Task<Results<NoContent, ProblemHttpResult>> Remove(PlanRoute route, string subscriptionId, Caller caller, HttpRequest request,
        INotificationStore store)
    {
        if (await store.Find(route.Id, subscriptionId) is not { } found || !await store.Remove(route.Id, subscriptionId))
            return Problems.NotFound("subscriptionId", $"没有通知订阅 {subscriptionId}");
        await Audit(request, caller, AuditAction.SubscriptionRemove, 204, route.Id, found);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<DeliveriesView>, ProblemHttpResult>> Deliveries(PlanRoute route, string subscriptionId, int? limit,
        INotificationStore store)
    {
        if (limit is < 1 or > PageLimit) return Problems.Result(400, "limit", $"必须是 1 到 {PageLimit} 之间的整数");
        if (await store.History(route.Id, subscriptionId, limit ?? 100) is not { } history)
            return Problems.NotFound("subscriptionId", $"没有通知订阅 {subscriptionId}");
        return TypedResults.Ok(new DeliveriesView(history.SubscriptionId, history.Pending, history.Deliveries));
    }

    /// <summary>The subscription the body asks for, with the secret to answer (when the service made it), or the problem refusing it.</summary>
    private static async Task<(Subscription?, string?, ProblemHttpResult?)> Check(SubscriptionBody body, PlanRoute route, Caller caller,
        INotificationStore store, NotificationOptions options, DateTimeOffset now)
    {
        static (Subscription?, string?, ProblemHttpResult?) No(int status, string field, string reason) => (null, null, Problems.Result(status, field, reason));
        if (body.Format is not { } format) return No(400, "format", "必须填写 format：webhook 或 dingtalk");
        if (string.IsNullOrWhiteSpace(body.Endpoint)) return No(400, "endpoint", "必须填写接收通知的地址 endpoint");
        if (!Uri.TryCreate(body.Endpoint.Trim(), UriKind.Absolute, out var endpoint)) return No(400, "endpoint", "不是完整的网址（须以 https:// 或 http:// 开头）");
        if (options.ToPolicy().Check(endpoint) is { } refused) return No(refused.Status, refused.Field, refused.Reason);
        if (body.Events is not { Count: > 0 } events) return No(400, "events", "至少订阅一种事件");
        if (body.Name is { Length: > 100 }) return No(400, "name", "名称不能超过 100 个字符");
        var units = body.Units ?? [];
        for (var i = 0; i < units.Count; i++)
            if (route.Index.FindStreet(units[i]) is null && route.Index.FindDepartment(units[i]) is null && route.Index.FindLeader(units[i]) is null)
                return No(422, $"units[{i}]", $"“{units[i]}”不是本计划的街道、部门或分管区领导");
        var secret = body.Secret;
        string? made = null;
        if (format == SubscriptionFormat.DingTalk && string.IsNullOrWhiteSpace(secret))
            return No(400, "secret", "钉钉机器人须提供加签密钥 secret（机器人安全设置中的“加签”，以 SEC 开头）");
        if (secret is not null && (secret.Length < 16 || secret.Length > 200)) return No(400, "secret", "密钥长度须在 16 到 200 个字符之间");
        if (secret is null) secret = made = Base64Url(RandomNumberGenerator.GetBytes(32));
        if ((await store.List(route.Id)).Count >= options.MaxSubscriptionsPerPlan)
            return No(422, "subscriptions", $"本计划的通知订阅已达上限 {options.MaxSubscriptionsPerPlan} 个，请先取消不用的订阅");
        var subscription = new Subscription($"sub-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}", route.Id, body.Name?.Trim(), format,
            endpoint, secret, events.Distinct().ToList(), units.Distinct(StringComparer.Ordinal).ToList(), now, caller.Person);
        return (subscription, made, null);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Task Audit(HttpRequest request, Caller caller, AuditAction action, int status, string planId, Subscription s)
    {
        var detail = new JsonObject
        {
            ["subscriptionId"] = s.Id,
            ["format"] = s.Format.WireName(),
            ["endpoint"] = SubscriptionView.Redacted(s.Endpoint),
            ["events"] = new JsonArray(s.Events.Select(e => (JsonNode)e.WireName()!).ToArray()),
        };
        var audit = request.HttpContext.RequestServices.GetRequiredService<IAuditLog>();
        return audit.Append(new AuditEntry(DateTimeOffset.UtcNow, caller.Role, action, AuditOutcome.Accepted, status, planId, null, null, null, null,
            detail, caller.Person));
    }
}
