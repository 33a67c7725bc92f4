using Minsheng.Domain;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Grains.Audit;
using Minsheng.Hosting.Auth;
using Minsheng.Silo.Audit;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// The token's role is parsed once per request, however many places judge the caller: the fallback policy, the
/// office-only requirement and its 403, handler binding, and the audit of a refusal all read that one parse.
/// </summary>
public sealed class CallerParsedOnceTests(CallerParsedOnceTests.Host host) : IClassFixture<CallerParsedOnceTests.Host>
{
    public sealed class Host : SiloHost
    {
        public Host() => With("Minsheng:Clock:Mode", "Simulated");
    }

    private const string Plan = "/api/v1/plans/gongshu-2024";

    public static TheoryData<string, string?, string, string, int, string?> Requests => new()
    {
        // name, role, method, path, status, audited action
        { "a read (policy, then the handler)", "viewer", "GET", Plan + "/rollup", 200, null },
        { "a write the handler accepts and binds the caller for", "street:tianshui", "POST", Plan + "/reports", 201, null },
        { "a write the handler refuses (audited by the group's filter)", "street:shangtang", "POST", Plan + "/reports", 403, "report" },
        { "an office-only write refused by its policy (audited by the result handler)", "department:education", "POST", "/api/v1/admin/clock", 403, "clock" },
        { "a role naming no unit of any plan (the 403 reads the refusal)", "street:nowhere", "GET", Plan + "/rollup", 403, null },
        { "no token (nothing to parse)", null, "GET", Plan + "/rollup", 401, null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Each_request_parses_its_caller_at_most_once(string name, string? role, string method, string path, int status, string? audited)
    {
        var parses = host.Services.GetRequiredService<CallerClaims>();
        var audit = (InMemoryAuditLog)host.Services.GetRequiredService<IAuditLog>();
        var refusalsBefore = audit.Entries.Count(e => e.Outcome == AuditOutcome.Refused);
        var before = parses.Parses;

        var body = path.EndsWith("/reports", StringComparison.Ordinal)
            ? $$"""{"reportId":"once-{{Guid.NewGuid():N}}","taskId":"3.1","unitId":"tianshui","completed":1}"""
            : """{"now":"2024-12-01T00:00:00+08:00"}""";
        var (answered, problem) = method == "GET" ? await host.As(role).GetJson(path) : await host.As(role).PostRaw(path, body);

        Assert.True(status == answered, $"{name}: answered {answered}, expected {status}: {problem?.ToJsonString()}");
        Assert.Equal(role is null ? 0 : 1, parses.Parses - before);
        if (audited is not null)
        {
            // The audit line still names the caller: it read the same parse, it did not go without one.
            var line = audit.Entries.Where(e => e.Outcome == AuditOutcome.Refused).Skip(refusalsBefore).Single();
            Assert.Equal(audited, line.Action.WireName());
            Assert.Equal(role, line.Actor);
        }
        if (role == "street:nowhere") Assert.Equal("令牌中的角色“street:nowhere”所指的单位不在区县“gongshu”的任何计划中", problem!["reason"].Str());
    }
}
