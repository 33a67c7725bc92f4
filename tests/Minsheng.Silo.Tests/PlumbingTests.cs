using Minsheng.Domain;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Minsheng.Silo.Api;
using Minsheng.Grains.Audit;
using Minsheng.Silo.Audit;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// The framework's plumbing where the service relies on it: office-only actions as an authorization policy that
/// still answers and audits in Chinese, tagged health checks (liveness never touches the database), and the JSON body
/// shape pass that names faults from the serializer's contract instead of its messages.
/// </summary>
public sealed class PlumbingTests(PlumbingTests.Host host) : IClassFixture<PlumbingTests.Host>
{
    public sealed class Host : SiloHost
    {
        public Host() => With("Minsheng:Clock:Mode", "Simulated");
    }

    [Theory]
    [InlineData("/api/v1/plans/gongshu-2024/cases", """{"taskId":"4.2","unitId":"wulin","reason":"越权"}""", "case.open", "只有区政府办公室（office）或本计划所属地区的 region-office 可以手动发起督办")]
    [InlineData("/api/v1/plans/gongshu-2024/cases/c-1/close", """{"reason":"越权"}""", "case.close", "只有区政府办公室（office）或本计划所属地区的 region-office 可以结案")]
    [InlineData("/api/v1/admin/clock", """{"now":"2024-12-01T00:00:00+08:00"}""", "clock", "只有区政府办公室（office）可以调整业务时钟")]
    public async Task Office_only_actions_refuse_other_roles_with_the_Chinese_problem_and_audit_it(string url, string body, string action, string reason)
    {
        var audit = (InMemoryAuditLog)host.Services.GetRequiredService<IAuditLog>();
        var before = audit.Entries.Count(e => e.Action.WireName() == action && e.Outcome == AuditOutcome.Refused);

        var (status, problem) = await host.As("department:education").PostRaw(url, body);

        Assert.Equal(403, status);
        Assert.Equal("role", problem!["field"].Str());
        Assert.Equal(reason, problem["reason"].Str());
        Assert.Equal("无权操作", problem["title"].Str());
        Assert.Equal(before + 1, audit.Entries.Count(e => e.Action.WireName() == action && e.Outcome == AuditOutcome.Refused && e.Status == 403));
    }

    /// <summary>Typed handlers answer a Results union; the audit filter must see the problem inside it.</summary>
    [Fact]
    public async Task A_refusal_by_a_typed_handler_is_audited()
    {
        var audit = (InMemoryAuditLog)host.Services.GetRequiredService<IAuditLog>();
        var before = audit.Entries.Count(e => e.Action == AuditAction.Report && e.Outcome == AuditOutcome.Refused);

        var (status, _) = await host.As("street:shangtang").PostJson("/api/v1/plans/gongshu-2024/reports",
            new { reportId = "p-403", taskId = "4.2", unitId = "wulin", completed = 1 });

        Assert.Equal(403, status);
        Assert.Equal(before + 1, audit.Entries.Count(e => e.Action == AuditAction.Report && e.Outcome == AuditOutcome.Refused && e.Status == 403));
    }

    [Fact]
    public void Liveness_never_depends_on_the_database_and_readiness_checks_plans_silo_and_database()
    {
        var registrations = host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.Equal(["process"], registrations.Where(r => r.Tags.Contains("live")).Select(r => r.Name));
        Assert.Equal(["plans", "postgres", "silo"], registrations.Where(r => r.Tags.Contains("ready")).Select(r => r.Name).Order());
    }

    [Theory]
    [InlineData("""{"reportId":"r","colour":"red"}""", "UnknownProperty", "colour")]
    [InlineData("""{"reportId":"r","ReportId":"s"}""", "DuplicateProperty", "ReportId")]
    [InlineData("""{"evidence":["a"],"taskId":"t","taskId":"u"}""", "DuplicateProperty", "taskId")]
    [InlineData("""{"completed":1,"evidence":[{"x":1}]}""", null, null)]
    [InlineData("""{"reportId":"r","completed":2}""", null, null)]
    public void The_shape_pass_finds_unknown_and_repeated_properties_from_the_contract(string json, string? fault, string? name)
    {
        var options = host.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var finding = JsonBodyShape.First(Encoding.UTF8.GetBytes(json), typeof(ReportBody), options);
        Assert.Equal(fault, finding?.Fault.ToString());
        Assert.Equal(name, finding?.Name);
    }

    [Theory]
    // A wrong type before an unknown field is what the serializer stopped at: the wrong type is named.
    [InlineData("""{"metricId":5,"colour":"red"}""", "metricId", "类型或取值不正确")]
    [InlineData("""{"colour":"red","metricId":5}""", "colour", "不允许的未知字段")]
    [InlineData("""{"milestones":[{"date":"2024-09-30","completed":1,"hue":2}]}""", "hue", "不允许的未知字段")]
    [InlineData("""{"milestones":[{"date":"2024-09-30","date":"2024-10-31","completed":1}]}""", "milestones[0].date", "字段重复出现")]
    [InlineData("[]", "body", "不是合法的 JSON")]
    public async Task Body_faults_are_named_without_reading_exception_messages(string body, string field, string reason)
    {
        var (status, problem) = await host.As("street:shangtang").PutRaw("/api/v1/plans/gongshu-2024/assignments/4.2/shangtang/schedule", body);
        Assert.True(status == 400, problem.Canonical());
        Assert.Equal(field, problem!["field"].Str());
        Assert.Equal(reason, problem["reason"].Str());
    }

    [Theory]
    // The character is refused by the serializer as it reads the string, naming the field as the serializer's path does.
    [InlineData("""{"reportId":"r","evidence":["https://example.org/a.jpg","b\u007f"]}""", "evidence[1]", "不能包含控制字符（U+007F，第 2 个字符）")]
    [InlineData("""{"reportId":"r\u0000"}""", "reportId", "不能包含控制字符（U+0000，第 2 个字符）")]
    [InlineData("""{"reportId":"r","note":"第一批\u001b"}""", "note", "不能包含控制字符（U+001B，第 4 个字符）")]
    // Prose keeps its line breaks and tabs; ids do not.
    [InlineData("""{"reportId":"r\n"}""", "reportId", "不能包含控制字符（U+000A，第 2 个字符）")]
    [InlineData("""{"reportId":"r","note":"第一批\n第二批\t完成","reason":"录入\r\n错误"}""", null, null)]
    public void Body_strings_are_checked_while_the_serializer_reads_them(string json, string? field, string? reason)
    {
        var options = BodyText.Options(host.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
        var refused = Record.Exception(() => JsonSerializer.Deserialize<ReportBody>(json, options));
        Assert.Equal(field, refused is ForbiddenTextException f ? f.Path!.TrimStart('$', '.') : null);
        Assert.Equal(reason, (refused as ForbiddenTextException)?.Reason);
        if (field is null) Assert.Null(refused);
    }

    [Theory]
    // Another fault of the body comes first wherever it is, as when the characters were checked after reading it.
    [InlineData("""{"reportId":"r\u0000","colour":"red"}""", "colour", "不允许的未知字段")]
    [InlineData("""{"reportId":"r\u0000","taskId":"4.2","unitId":"shangtang","completed":"6"}""", "completed", "类型或取值不正确")]
    [InlineData("""{"reportId":"r\u0000","reportId":"s"}""", "reportId", "字段重复出现")]
    [InlineData("""{"reportId":"r","taskId":"4.2","unitId":"shangtang","completed":6,"note":"第一批\u0000"}""", "note", "不能包含控制字符（U+0000，第 4 个字符）")]
    public async Task A_forbidden_character_is_named_after_the_bodys_other_faults(string body, string field, string reason)
    {
        var (status, problem) = await host.As("street:shangtang").PostRaw("/api/v1/plans/gongshu-2024/reports", body);
        Assert.True(status == 400, problem.Canonical());
        Assert.Equal(field, problem!["field"].Str());
        Assert.Equal(reason, problem["reason"].Str());
    }

    [Fact]
    public async Task Bearer_authentication_validates_a_token_once_for_all_its_requests()
    {
        var bearer = host.Services.GetRequiredService<IOptionsMonitor<Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions>>()
            .Get(Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerDefaults.AuthenticationScheme);
        var tokens = Assert.IsType<Minsheng.Silo.Auth.ValidatedTokens>(Assert.Single(bearer.TokenHandlers));
        var before = tokens.Count;
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", SiloHost.Token("viewer", person: "once-" + Guid.NewGuid().ToString("N")));

        for (var i = 0; i < 3; i++) Assert.Equal(200, (await client.GetJson("/api/v1/plans/gongshu-2024/rollup")).Status);
        Assert.Equal(before + 1, tokens.Count);

        // A token that fails validation answers 401 every time and is never remembered.
        client.DefaultRequestHeaders.Authorization = new("Bearer", SiloHost.Token("viewer", now: DateTimeOffset.UtcNow.AddHours(-2)));
        for (var i = 0; i < 2; i++) Assert.Equal(401, (await client.GetJson("/api/v1/plans/gongshu-2024/rollup")).Status);
        Assert.Equal(before + 1, tokens.Count);
    }
}

/// <summary>PUT with a raw body.</summary>
internal static class RawPut
{
    public static async Task<(int Status, System.Text.Json.Nodes.JsonNode? Body)> PutRaw(this HttpClient client, string url, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PutAsync(url, content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : System.Text.Json.Nodes.JsonNode.Parse(text));
    }
}
