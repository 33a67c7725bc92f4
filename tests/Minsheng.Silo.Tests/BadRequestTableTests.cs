using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Minsheng.Hosting.Auth;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>The bad-request table on the embedded default (in-memory storage), plus the limits on one caller.</summary>
public sealed class BadRequestTableTests(BadRequestTable.Host host) : BadRequestTable(host), IClassFixture<BadRequestTable.Host>;

/// <summary>The same table in PostgreSQL mode: refusals must change nothing there either, NUL and all.</summary>
public sealed class BadRequestTablePostgresTests(BadRequestTable.PostgresHost host) : BadRequestTable(host), IClassFixture<BadRequestTable.PostgresHost>;

/// <summary>
/// A table of requests the service must refuse: for each row the status, the problem naming the field (in Chinese,
/// as <c>application/problem+json</c>), and that no rollup, history, case list or the clock changed because of it.
/// </summary>
public abstract partial class BadRequestTable(BadRequestTable.Host host)
{
    /// <summary>
    /// One host for the whole table: simulated clock (time stands still, so snapshots are stable and clock moves
    /// reach the role check), a rate limit no row can trip, one accepted report and one open case to refuse against.
    /// </summary>
    public class Host : SiloHost, IAsyncLifetime
    {
        public Host()
        {
            With("Minsheng:Clock:Mode", "Simulated");
            With("Minsheng:RateLimit:PermitsPerSecond", "100000");
            With("Minsheng:RateLimit:Burst", "100000");
        }

        /// <summary>The id of the case the office opened by hand on 4.2 wulin.</summary>
        public string CaseId { get; private set; } = "";

        /// <summary>Runs before the host starts: the place to point it at other storage.</summary>
        protected virtual Task Prepare() => Task.CompletedTask;

        public async Task InitializeAsync()
        {
            await Prepare();
            var street = await As("street:shangtang").PostJson($"{Plan}/reports",
                new { reportId = GoodReportId, taskId = "4.2", unitId = "shangtang", completed = 5, note = "首次上报" });
            Assert.True(street.Status == 201, $"setup report answered {street.Status}: {street.Body.Canonical()}");
            var district = await As("department:education").PostJson($"{Plan}/reports",
                new { reportId = "setup-district", taskId = "7.1", unitId = "district", completed = 2 });
            Assert.True(district.Status == 201, $"setup district report answered {district.Status}: {district.Body.Canonical()}");
            var opened = await As("office").PostJson($"{Plan}/cases", new { taskId = "4.2", unitId = "wulin", reason = "进度滞后，手动督办" });
            Assert.True(opened.Status == 201, $"setup case answered {opened.Status}: {opened.Body.Canonical()}");
            CaseId = opened.Body!["id"].Str();
            await Settled();
        }

        /// <summary>
        /// The setup's reports reach the aggregates through the silo's outbox: await the settled signal, so no row's
        /// "before" snapshot is taken while they are still on their way.
        /// </summary>
        private async Task Settled()
        {
            var office = As("office");
            static long Completed(JsonNode view, string taskId, string unitId) => view["assignments"]!.AsArray()
                .Where(a => a!["taskId"].Str() == taskId && a["unitId"].Str() == unitId).Sum(a => a!["completed"]!.GetValue<long>());
            static long TaskCompleted(JsonNode rollup, string taskId) => rollup["projects"]!.AsArray().SelectMany(p => p!["tasks"]!.AsArray())
                .Single(t => t!["id"].Str() == taskId)!["metrics"]!.AsArray().Sum(m => m!["completed"]!.GetValue<long>());
            await Settle();
            var rollup = await office.GetOk($"{Plan}/rollup");
            var education = await office.GetOk($"{Plan}/departments/education");
            var civilAffairs = await office.GetOk($"{Plan}/departments/civil-affairs");
            Assert.True(TaskCompleted(rollup, "4.2") == 5 && TaskCompleted(rollup, "7.1") == 2
                    && Completed(education, "7.1", "district") == 2 && Completed(civilAffairs, "4.2", "shangtang") == 5,
                "after settling, the setup's reports have not reached the aggregates");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    /// <summary>The table's host on a fresh database of the test script's PostgreSQL server.</summary>
    public sealed class PostgresHost : Host
    {
        protected override async Task Prepare()
        {
            With("Minsheng:Storage", "Postgres");
            With("ConnectionStrings:Minsheng", await TestPostgres.CreateDatabase());
        }
    }

    private const string Plan = "/api/v1/plans/gongshu-2024";
    private const string Reports = Plan + "/reports";
    private const string Cases = Plan + "/cases";
    private const string CaseRef = "{case}";
    private const string GoodReportId = "setup-good-1";
    private static readonly string Schedule42Shangtang = $"{Plan}/assignments/4.2/shangtang/schedule";

    /// <summary>What the table reads with an office token before and after every row.</summary>
    private static readonly string[] Watched =
    [
        $"{Plan}/rollup",
        $"{Plan}/streets/shangtang", $"{Plan}/streets/wulin", $"{Plan}/streets/changqing", $"{Plan}/streets/tianshui",
        $"{Plan}/departments/civil-affairs", $"{Plan}/departments/education", $"{Plan}/departments/health",
        $"{Plan}/departments/housing-construction",
        $"{Plan}/assignments/4.2/shangtang/history", $"{Plan}/assignments/4.2/wulin/history",
        $"{Plan}/assignments/4.1/shangtang/history", $"{Plan}/assignments/7.1/district/history",
        $"{Plan}/assignments/5.2/changqing/history", $"{Plan}/assignments/3.2/district/history",
        Cases,
        "/api/v1/admin/clock",
    ];

    /// <summary>One bad request: who sends it, what, and the refusal the contract requires.</summary>
    public sealed record Row(string Method, string Path, Func<string?> Authorization, string? Body, int Status, string Field,
        string ContentType = "application/json");

    public static IEnumerable<object[]> Names => Table.Keys.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Bad_request_is_refused_naming_the_field_and_changes_nothing(string name)
    {
        var row = Table[name];
        var office = host.As("office");
        var before = await Snapshot(office);

        using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Path.Replace(CaseRef, host.CaseId, StringComparison.Ordinal));
        if (row.Authorization() is { } authorization) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (row.Body is not null)
        {
            request.Content = new StringContent(row.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(row.ContentType);
        }
        using var response = await host.CreateClient().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(row.Status == (int)response.StatusCode, $"{name}: expected {row.Status}, got {(int)response.StatusCode}: {text}");
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff) && nosniff.Single() == "nosniff",
            $"{name}: no security headers");
        if (row.Status is not (401 or 413) || text.Length > 0)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(text)!;
            Assert.True(Titles[row.Status] == problem["title"]?.GetValue<string>(), $"{name}: wrong title for {row.Status}: {text}");
            if (row.Status is not (401 or 413))
            {
                Assert.True(row.Field == problem["field"]?.GetValue<string>(), $"{name}: expected field {row.Field}: {text}");
                var detail = problem["detail"]?.GetValue<string>();
                Assert.False(string.IsNullOrWhiteSpace(detail), $"{name}: empty detail: {text}");
                Assert.True(Chinese().IsMatch(detail!), $"{name}: detail is not Chinese: {text}");
                if (problem["reason"]?.GetValue<string>() is { } reason)
                    Assert.True(Chinese().IsMatch(reason), $"{name}: reason is not Chinese: {text}");
            }
        }

        var after = await Snapshot(office);
        foreach (var url in Watched)
            Assert.True(before[url] == after[url], $"{name} changed {url}:\nbefore {before[url]}\nafter  {after[url]}");
    }

    [Fact]
    public void Table_has_at_least_45_rows() => Assert.True(Table.Count >= 45, $"only {Table.Count} rows");

    private static async Task<Dictionary<string, string>> Snapshot(HttpClient office)
    {
        var snapshot = new Dictionary<string, string>();
        foreach (var url in Watched)
        {
            var node = await office.GetOk(url);
            if (node is JsonObject o) o.Remove("asOf");
            snapshot[url] = node.Canonical();
        }
        return snapshot;
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    /// <summary>The title each status must carry, typed from the contract's wording rather than read from the code.</summary>
    private static readonly Dictionary<int, string> Titles = new()
    {
        [400] = "请求无效", [401] = "未认证", [403] = "无权操作", [404] = "未找到", [405] = "方法不被允许", [409] = "冲突",
        [413] = "请求体过大", [415] = "不支持的内容类型", [422] = "无法处理的请求", [429] = "请求过于频繁",
    };

    // ---- Tokens -------------------------------------------------------------------------------------------------

    private static Func<string?> As(string role) => () => "Bearer " + SiloHost.Token(role);

    private static readonly Func<string?> NoToken = () => null;

    private static string B64(string json) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    private static string Unb64(string part) => Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(part));

    private static long Unix(DateTimeOffset at) => at.ToUnixTimeSeconds();

    private static string Expired() => "Bearer " + SiloHost.Token("office", TimeSpan.FromHours(1), DateTimeOffset.UtcNow.AddHours(-2));

    private static string NotYetValid() => "Bearer " + SiloHost.Token("office", TimeSpan.FromHours(2), DateTimeOffset.UtcNow.AddMinutes(30));

    private static string OtherKey() =>
        "Bearer " + TokenIssuer.Issue(Encoding.UTF8.GetBytes("another-signing-key-that-is-long-enough-0123"), "office", TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

    /// <summary>A street's token whose payload is rewritten to claim the office, keeping the street's signature.</summary>
    private static string TamperedRole()
    {
        var parts = SiloHost.Token("street:shangtang").Split('.');
        var payload = Unb64(parts[1]).Replace("street:shangtang", "office", StringComparison.Ordinal);
        return $"Bearer {parts[0]}.{B64(payload)}.{parts[2]}";
    }

    /// <summary>An office token with one character of its payload changed.</summary>
    private static string TamperedCharacter()
    {
        var parts = SiloHost.Token("office").Split('.');
        var chars = parts[1].ToCharArray();
        var i = chars.Length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return $"Bearer {parts[0]}.{new string(chars)}.{parts[2]}";
    }

    /// <summary>The unsigned token an attacker writes by hand: <c>alg: none</c>, office, valid claims, empty signature.</summary>
    private static string AlgNone()
    {
        var now = DateTimeOffset.UtcNow;
        var header = B64("""{"alg":"none","typ":"JWT"}""");
        var payload = B64(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["role"] = "office", ["sub"] = "office", ["iss"] = TokenIssuer.Issuer, ["aud"] = TokenIssuer.Audience,
            ["iat"] = Unix(now), ["nbf"] = Unix(now), ["exp"] = Unix(now.AddHours(1)),
        }));
        return $"Bearer {header}.{payload}.";
    }

    /// <summary>Signed with the right key, but for another audience.</summary>
    private static string OtherAudience() => "Bearer " + new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = TokenIssuer.Issuer,
        Audience = "some-other-api",
        Subject = new ClaimsIdentity([new Claim(Caller.RoleClaim, "office"), new Claim("sub", "office")]),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SiloHost.SigningKey), SecurityAlgorithms.HmacSha256),
    });

    /// <summary>Signed with the right key, but with HS512 where only HS256 is accepted.</summary>
    private static string Hs512() => "Bearer " + new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = TokenIssuer.Issuer,
        Audience = TokenIssuer.Audience,
        Subject = new ClaimsIdentity([new Claim(Caller.RoleClaim, "office"), new Claim("sub", "office")]),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey([.. SiloHost.SigningKey, .. SiloHost.SigningKey]), SecurityAlgorithms.HmacSha512),
    });

    /// <summary>A properly signed, current token that names no role.</summary>
    private static string NoRole() => "Bearer " + new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = TokenIssuer.Issuer,
        Audience = TokenIssuer.Audience,
        Subject = new ClaimsIdentity([new Claim("sub", "someone")]),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SiloHost.SigningKey), SecurityAlgorithms.HmacSha256),
    });

    // ---- Bodies -------------------------------------------------------------------------------------------------

    private static string J(object body) => JsonSerializer.Serialize(body);

    /// <summary>A report on 4.2 shangtang (target 9, currently 5) that would be accepted but for what the row changes.</summary>
    private static string Report(string reportId, long completed = 6) => J(new { reportId, taskId = "4.2", unitId = "shangtang", completed });

    private static string Milestones(params (string Date, long Completed)[] milestones) =>
        J(new { milestones = milestones.Select(m => new { date = m.Date, completed = m.Completed }) });

    private static readonly string TooLongNote = new('进', 2001);
    private static readonly string HugeNote = new('x', 70 * 1024);

    // ---- The table ----------------------------------------------------------------------------------------------

    private static readonly Dictionary<string, Row> Table = new()
    {
        // Roles that name no unit of the plan: never a write (issue 9).
        ["report: role street:district reports the district level"] = new("POST", Reports, As("street:district"),
            J(new { reportId = "t-sd", taskId = "8.2", unitId = "district", completed = 1 }), 403, "role"),
        ["schedule: role street:district schedules the district level"] = new("PUT", $"{Plan}/assignments/3.2/district/schedule", As("street:district"),
            Milestones(("2024-11-30", 1)), 403, "role"),
        ["report: role street:nowhere"] = new("POST", Reports, As("street:nowhere"), Report("t-nowhere"), 403, "role"),
        ["report: role department:police"] = new("POST", Reports, As("department:police"),
            J(new { reportId = "t-police", taskId = "7.1", unitId = "district", completed = 3 }), 403, "role"),
        ["report: role street: with a look-alike id (Cyrillic а)"] = new("POST", Reports, As("street:shаngtang"), Report("t-cyr"), 403, "role"),
        ["cases: role department:nowhere responds"] = new("POST", $"{Cases}/{CaseRef}/responses", As("department:nowhere"),
            J(new { text = "正在推进", promisedDate = "2024-06-30" }), 403, "role"),
        ["clock: role office-like street:office"] = new("POST", "/api/v1/admin/clock", As("street:office"), J(new { now = "2024-12-01T00:00:00+08:00" }), 403, "role"),

        // Instants outside the plans' window: nothing converts them, nothing stores them.
        ["clock: the last second of the calendar"] = new("POST", "/api/v1/admin/clock", As("office"), J(new { now = "9999-12-31T23:59:59Z" }), 400, "now"),
        ["clock: the last second of the calendar at +14:00"] = new("POST", "/api/v1/admin/clock", As("office"), J(new { now = "9999-12-31T23:59:59+14:00" }), 400, "now"),
        ["clock: the first instant of the calendar"] = new("POST", "/api/v1/admin/clock", As("office"), J(new { now = "0001-01-01T00:00:00Z" }), 400, "now"),
        ["clock: years after the plan"] = new("POST", "/api/v1/admin/clock", As("office"), J(new { now = "2031-01-01T00:00:00+08:00" }), 400, "now"),
        ["cases: promisedDate 0001-01-01"] = new("POST", $"{Cases}/{CaseRef}/responses", As("department:civil-affairs"),
            J(new { text = "正在推进", promisedDate = "0001-01-01" }), 400, "promisedDate"),
        ["cases: promisedDate 9999-12-31"] = new("POST", $"{Cases}/{CaseRef}/responses", As("department:civil-affairs"),
            J(new { text = "正在推进", promisedDate = "9999-12-31" }), 400, "promisedDate"),
        ["cases: promisedDate before the plan starts"] = new("POST", $"{Cases}/{CaseRef}/responses", As("department:civil-affairs"),
            J(new { text = "正在推进", promisedDate = "2023-12-31" }), 400, "promisedDate"),
        ["schedule: milestone on 9999-12-31"] = new("PUT", Schedule42Shangtang, As("street:shangtang"), Milestones(("9999-12-31", 9)), 400, "milestones[0].date"),
        ["schedule: milestone on 0001-01-01"] = new("PUT", Schedule42Shangtang, As("street:shangtang"), Milestones(("0001-01-01", 9)), 400, "milestones[0].date"),

        // Control characters in every kind of text field, refused before anything is recorded (PostgreSQL refuses NUL).
        ["report: NUL in the note"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-nul-note", taskId = "4.2", unitId = "shangtang", completed = 6, note = "第一批\u0000完成" }), 400, "note"),
        ["report: NUL in taskId"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-nul-task", taskId = "4.2\u0000", unitId = "shangtang", completed = 6 }), 400, "taskId"),
        ["report: NUL in unitId"] = new("POST", Reports, As("office"),
            J(new { reportId = "t-nul-unit", taskId = "4.2", unitId = "\u0000", completed = 6 }), 400, "unitId"),
        ["report: NUL in reportId"] = new("POST", Reports, As("street:shangtang"), Report("t-nul\u0000id"), 400, "reportId"),
        ["report: NUL in metricId"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-nul-metric", taskId = "4.2", unitId = "shangtang", metricId = "main\u0000", completed = 6 }), 400, "metricId"),
        ["report: unit separator in a correction reason"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-us", taskId = "4.2", unitId = "shangtang", completed = 3, correction = true, reason = "录入错误\u001f" }), 400, "reason"),
        ["report: DEL in evidence"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-del", taskId = "4.2", unitId = "shangtang", completed = 6, evidence = new[] { "https://example.org/a.jpg", "https://example.org/\u007f.jpg" } }), 400, "evidence[1]"),
        ["report: C1 next-line in the note"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-nel", taskId = "4.2", unitId = "shangtang", completed = 6, note = "第一批\u0085伪造的一行" }), 400, "note"),
        ["report: escape in the note"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-esc", taskId = "4.2", unitId = "shangtang", completed = 6, note = "\u001b[31m红色" }), 400, "note"),
        ["schedule: NUL in metricId"] = new("PUT", Schedule42Shangtang, As("street:shangtang"),
            J(new { metricId = "main\u0000", milestones = new[] { new { date = "2024-11-30", completed = 9 } } }), 400, "metricId"),
        ["cases: NUL in a response"] = new("POST", $"{Cases}/{CaseRef}/responses", As("department:civil-affairs"),
            J(new { text = "正在推进\u0000", promisedDate = "2024-06-30" }), 400, "text"),
        ["cases: NUL in the reason of a case opened by hand"] = new("POST", Cases, As("office"),
            J(new { taskId = "4.2", unitId = "shangtang", reason = "进度滞后\u0000" }), 400, "reason"),
        ["cases: NUL in the taskId of a case opened by hand"] = new("POST", Cases, As("office"),
            J(new { taskId = "4.2\u0000", unitId = "shangtang", reason = "进度滞后" }), 400, "taskId"),
        ["cases: bell in a closing reason"] = new("POST", $"{Cases}/{CaseRef}/close", As("office"), J(new { reason = "已整改\u0007" }), 400, "reason"),
        ["clock: NUL in now"] = new("POST", "/api/v1/admin/clock", As("office"), J(new { now = "2024-12-01T00:00:00+08:00\u0000" }), 400, "now"),

        // Wrong role, wrong unit.
        ["report: viewer writes"] = new("POST", Reports, As("viewer"), Report("t-viewer"), 403, "role"),
        ["report: street reports another street"] = new("POST", Reports, As("street:wulin"), Report("t-wulin"), 403, "unitId"),
        ["report: street reports the district level"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-district", taskId = "7.1", unitId = "district", completed = 3 }), 403, "unitId"),
        ["report: department reports a task it does not lead"] = new("POST", Reports, As("department:health"),
            J(new { reportId = "t-health", taskId = "7.1", unitId = "district", completed = 3 }), 403, "unitId"),
        ["report: lead department reports a street's assignment"] = new("POST", Reports, As("department:civil-affairs"), Report("t-dept-street"), 403, "unitId"),
        ["report: token with an unknown role"] = new("POST", Reports, As("mayor"), Report("t-mayor"), 403, "role"),

        // Malformed JSON.
        ["report: truncated JSON"] = new("POST", Reports, As("street:shangtang"), """{"reportId":"t-trunc","taskId":"4.2",""", 400, "body"),
        ["report: single-quoted JSON"] = new("POST", Reports, As("street:shangtang"), "{'reportId':'t-quote','taskId':'4.2'}", 400, "body"),
        ["report: not JSON at all"] = new("POST", Reports, As("street:shangtang"), "completed=6", 400, "body"),
        ["report: empty body"] = new("POST", Reports, As("street:shangtang"), "", 400, "body"),
        ["report: JSON null"] = new("POST", Reports, As("street:shangtang"), "null", 400, "body"),
        ["report: JSON array instead of an object"] = new("POST", Reports, As("street:shangtang"), "[1,2,3]", 400, "body"),

        // Wrong types.
        ["report: completed as a string"] = new("POST", Reports, As("street:shangtang"),
            """{"reportId":"t-str","taskId":"4.2","unitId":"shangtang","completed":"6"}""", 400, "completed"),
        ["report: fractional completed"] = new("POST", Reports, As("street:shangtang"),
            """{"reportId":"t-frac","taskId":"4.2","unitId":"shangtang","completed":6.5}""", 400, "completed"),
        ["report: completed as a boolean"] = new("POST", Reports, As("street:shangtang"),
            """{"reportId":"t-bool","taskId":"4.2","unitId":"shangtang","completed":true}""", 400, "completed"),
        ["report: note as an array"] = new("POST", Reports, As("street:shangtang"),
            """{"reportId":"t-note","taskId":"4.2","unitId":"shangtang","completed":6,"note":["a","b"]}""", 400, "note"),
        ["report: taskId as a number"] = new("POST", Reports, As("street:shangtang"),
            """{"reportId":"t-num","taskId":4.2,"unitId":"shangtang","completed":6}""", 400, "taskId"),
        ["report: evidence as a string"] = new("POST", Reports, As("street:shangtang"),
            """{"reportId":"t-ev","taskId":"4.2","unitId":"shangtang","completed":6,"evidence":"https://example.org/a.jpg"}""", 400, "evidence"),
        ["report: correction as a string"] = new("POST", Reports, As("street:shangtang"),
            """{"reportId":"t-corr","taskId":"4.2","unitId":"shangtang","completed":6,"correction":"yes"}""", 400, "correction"),

        // Huge and negative numbers.
        ["report: completed beyond long"] = new("POST", Reports, As("street:shangtang"),
            """{"reportId":"t-long","taskId":"4.2","unitId":"shangtang","completed":9223372036854775808}""", 400, "completed"),
        ["report: completed 1e30"] = new("POST", Reports, As("street:shangtang"),
            """{"reportId":"t-exp","taskId":"4.2","unitId":"shangtang","completed":1e30}""", 400, "completed"),
        ["report: completed beyond the plausibility bound (1000x the target)"] = new("POST", Reports, As("street:shangtang"), Report("t-1000x", 9001), 400, "completed"),
        ["report: completed long.MaxValue"] = new("POST", Reports, As("street:shangtang"), Report("t-max", long.MaxValue), 400, "completed"),
        ["report: negative completed"] = new("POST", Reports, As("street:shangtang"), Report("t-neg", -1), 400, "completed"),
        ["report: completed long.MinValue"] = new("POST", Reports, As("street:shangtang"), Report("t-min", long.MinValue), 400, "completed"),

        // Oversized body.
        ["report: body over 64 KB"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-huge", taskId = "4.2", unitId = "shangtang", completed = 6, note = HugeNote }), 413, "body"),

        // Unknown ids.
        ["report: unknown task"] = new("POST", Reports, As("office"), J(new { reportId = "t-task", taskId = "99.9", unitId = "shangtang", completed = 1 }), 400, "taskId"),
        ["report: unknown unit"] = new("POST", Reports, As("office"), J(new { reportId = "t-unit", taskId = "4.2", unitId = "nowhere", completed = 1 }), 400, "unitId"),
        ["report: street without an assignment in the task"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-noassign", taskId = "7.1", unitId = "shangtang", completed = 1 }), 400, "unitId"),
        ["report: unknown metric"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-metric", taskId = "4.2", unitId = "shangtang", metricId = "bogus", completed = 6 }), 400, "metricId"),
        ["report: two-metric task without metricId"] = new("POST", Reports, As("street:changqing"),
            J(new { reportId = "t-52", taskId = "5.2", unitId = "changqing", completed = 10 }), 400, "metricId"),
        ["report: unknown plan"] = new("POST", "/api/v1/plans/no-such-plan/reports", As("office"), Report("t-plan"), 404, "planId"),

        // Unknown fields.
        ["report: unknown field delta"] = new("POST", Reports, As("street:shangtang"),
            """{"reportId":"t-delta","taskId":"4.2","unitId":"shangtang","completed":6,"delta":1}""", 400, "delta"),
        ["report: unknown field ratio"] = new("POST", Reports, As("street:shangtang"),
            """{"reportId":"t-ratio","taskId":"4.2","unitId":"shangtang","completed":6,"ratio":1}""", 400, "ratio"),

        // Replays, lower numbers, corrections.
        ["report: replayed reportId with another body"] = new("POST", Reports, As("street:shangtang"), Report(GoodReportId, 6), 409, "reportId"),
        ["report: lower number without correction"] = new("POST", Reports, As("street:shangtang"), Report("t-lower", 3), 422, "completed"),
        ["report: correction without reason"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-noreason", taskId = "4.2", unitId = "shangtang", completed = 3, correction = true }), 400, "reason"),
        ["report: correction with a blank reason"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-blank", taskId = "4.2", unitId = "shangtang", completed = 3, correction = true, reason = "   " }), 400, "reason"),
        ["report: reason over 500 characters"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-longreason", taskId = "4.2", unitId = "shangtang", completed = 3, correction = true, reason = new string('因', 501) }), 400, "reason"),

        // Missing and malformed ids, injection-looking ids.
        ["report: missing reportId"] = new("POST", Reports, As("street:shangtang"), J(new { taskId = "4.2", unitId = "shangtang", completed = 6 }), 400, "reportId"),
        ["report: missing completed"] = new("POST", Reports, As("street:shangtang"), J(new { reportId = "t-nocompleted", taskId = "4.2", unitId = "shangtang" }), 400, "completed"),
        ["report: empty reportId"] = new("POST", Reports, As("street:shangtang"), Report(""), 400, "reportId"),
        ["report: reportId over 100 characters"] = new("POST", Reports, As("street:shangtang"), Report(new string('r', 101)), 400, "reportId"),
        ["report: SQL injection in reportId"] = new("POST", Reports, As("street:shangtang"), Report("1' OR '1'='1"), 400, "reportId"),
        ["report: DROP TABLE in reportId"] = new("POST", Reports, As("street:shangtang"), Report("x'; DROP TABLE reports; --"), 400, "reportId"),
        ["report: newline in reportId (log forging)"] = new("POST", Reports, As("street:shangtang"), Report("r-1\naccepted by office"), 400, "reportId"),
        ["report: path traversal in taskId"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-trav", taskId = "../../etc/passwd", unitId = "shangtang", completed = 6 }), 400, "taskId"),
        ["report: script tag in unitId"] = new("POST", Reports, As("office"),
            J(new { reportId = "t-xss", taskId = "4.2", unitId = "<script>alert(1)</script>", completed = 6 }), 400, "unitId"),
        ["report: SQL in metricId"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-sqlmetric", taskId = "4.2", unitId = "shangtang", metricId = "main' OR 1=1 --", completed = 6 }), 400, "metricId"),

        ["report: null evidence item"] = new("POST", Reports, As("street:shangtang"),
            """{"reportId":"t-nullev","taskId":"4.2","unitId":"shangtang","completed":6,"evidence":[null]}""", 400, "evidence[0]"),
        ["report: another street reuses a reportId"] = new("POST", Reports, As("street:wulin"),
            J(new { reportId = GoodReportId, taskId = "4.2", unitId = "wulin", completed = 1 }), 409, "reportId"),

        // Evidence and notes.
        ["report: javascript: evidence"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-js", taskId = "4.2", unitId = "shangtang", completed = 6, evidence = new[] { "javascript:alert(1)" } }), 400, "evidence[0]"),
        ["report: file: evidence"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-file", taskId = "4.2", unitId = "shangtang", completed = 6, evidence = new[] { "file:///etc/passwd" } }), 400, "evidence[0]"),
        ["report: relative path as evidence"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-rel", taskId = "4.2", unitId = "shangtang", completed = 6, evidence = new[] { "/uploads/photo.jpg" } }), 400, "evidence[0]"),
        ["report: second evidence is ftp:"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-ftp", taskId = "4.2", unitId = "shangtang", completed = 6, evidence = new[] { "https://example.org/a.jpg", "ftp://example.org/b.jpg" } }), 400, "evidence[1]"),
        ["report: evidence URL over 2048 characters"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-longurl", taskId = "4.2", unitId = "shangtang", completed = 6, evidence = new[] { "https://example.org/" + new string('a', 2100) } }), 400, "evidence[0]"),
        ["report: 21 evidence items"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-many", taskId = "4.2", unitId = "shangtang", completed = 6, evidence = Enumerable.Range(1, 21).Select(i => $"https://example.org/{i}.jpg") }), 400, "evidence"),
        ["report: note over 2000 characters"] = new("POST", Reports, As("street:shangtang"),
            J(new { reportId = "t-longnote", taskId = "4.2", unitId = "shangtang", completed = 6, note = TooLongNote }), 400, "note"),

        // Content types.
        ["report: text/plain content type"] = new("POST", Reports, As("street:shangtang"), Report("t-text"), 415, "Content-Type", "text/plain"),
        ["report: form content type"] = new("POST", Reports, As("street:shangtang"), "reportId=t-form&completed=6", 415, "Content-Type",
            "application/x-www-form-urlencoded"),

        // Tokens.
        ["report: missing token"] = new("POST", Reports, NoToken, Report("t-anon"), 401, "Authorization"),
        ["report: expired token"] = new("POST", Reports, Expired, Report("t-expired"), 401, "Authorization"),
        ["report: token not yet valid"] = new("POST", Reports, NotYetValid, Report("t-nbf"), 401, "Authorization"),
        ["report: token signed with another key"] = new("POST", Reports, OtherKey, Report("t-otherkey"), 401, "Authorization"),
        ["report: token for another audience"] = new("POST", Reports, OtherAudience, Report("t-aud"), 401, "Authorization"),
        ["report: tampered token claiming office"] = new("POST", Reports, TamperedRole, Report("t-tamper-role"), 401, "Authorization"),
        ["report: tampered token, one payload character"] = new("POST", Reports, TamperedCharacter, Report("t-tamper-char"), 401, "Authorization"),
        ["report: alg none token"] = new("POST", Reports, AlgNone, Report("t-none"), 401, "Authorization"),
        ["report: garbage bearer token"] = new("POST", Reports, () => "Bearer not.a.token", Report("t-garbage"), 401, "Authorization"),
        ["report: Basic credentials instead of a bearer token"] = new("POST", Reports, () => "Basic b2ZmaWNlOm9mZmljZQ==", Report("t-basic"), 401, "Authorization"),
        ["report: token signed with HS512"] = new("POST", Reports, Hs512, Report("t-hs512"), 401, "Authorization"),
        ["report: valid token without a role claim"] = new("POST", Reports, NoRole, Report("t-norole"), 403, "role"),

        // Schedules: 4.2 shangtang, target 9, plan 2024-02-28..2024-11-30.
        ["schedule: date before the plan starts"] = new("PUT", Schedule42Shangtang, As("street:shangtang"), Milestones(("2024-02-27", 9)), 400, "milestones[0].date"),
        ["schedule: date after the deadline"] = new("PUT", Schedule42Shangtang, As("street:shangtang"),
            Milestones(("2024-06-30", 3), ("2024-12-01", 9)), 400, "milestones[1].date"),
        ["schedule: decreasing counts"] = new("PUT", Schedule42Shangtang, As("street:shangtang"),
            Milestones(("2024-05-31", 5), ("2024-08-31", 3), ("2024-11-30", 9)), 400, "milestones[1].completed"),
        ["schedule: last count below the target"] = new("PUT", Schedule42Shangtang, As("street:shangtang"), Milestones(("2024-11-30", 8)), 400, "milestones[0].completed"),
        ["schedule: last count above the target"] = new("PUT", Schedule42Shangtang, As("street:shangtang"),
            Milestones(("2024-06-30", 4), ("2024-10-31", 10)), 400, "milestones[1].completed"),
        ["schedule: dates not increasing"] = new("PUT", Schedule42Shangtang, As("street:shangtang"),
            Milestones(("2024-08-31", 3), ("2024-06-30", 5), ("2024-11-30", 9)), 400, "milestones[1].date"),
        ["schedule: negative count"] = new("PUT", Schedule42Shangtang, As("street:shangtang"),
            Milestones(("2024-05-31", -1), ("2024-11-30", 9)), 400, "milestones[0].completed"),
        ["schedule: empty milestones"] = new("PUT", Schedule42Shangtang, As("street:shangtang"), """{"milestones":[]}""", 400, "milestones"),
        ["schedule: milestones missing"] = new("PUT", Schedule42Shangtang, As("street:shangtang"), "{}", 400, "milestones"),
        ["schedule: 61 milestones"] = new("PUT", Schedule42Shangtang, As("street:shangtang"),
            Milestones([.. Enumerable.Range(0, 61).Select(i => (new DateOnly(2024, 3, 1).AddDays(i).ToString("yyyy-MM-dd"), i == 60 ? 9L : 0L))]), 400, "milestones"),
        ["schedule: impossible date"] = new("PUT", Schedule42Shangtang, As("street:shangtang"),
            """{"milestones":[{"date":"2024-13-01","completed":9}]}""", 400, "milestones[0].date"),
        ["schedule: unknown field in a milestone"] = new("PUT", Schedule42Shangtang, As("street:shangtang"),
            """{"milestones":[{"date":"2024-11-30","completed":9,"done":true}]}""", 400, "done"),
        ["schedule: unknown metric"] = new("PUT", Schedule42Shangtang, As("street:shangtang"),
            J(new { metricId = "bogus", milestones = new[] { new { date = "2024-11-30", completed = 9 } } }), 400, "metricId"),
        ["schedule: street schedules another street"] = new("PUT", Schedule42Shangtang, As("street:wulin"), Milestones(("2024-11-30", 9)), 403, "unitId"),
        ["schedule: viewer schedules"] = new("PUT", Schedule42Shangtang, As("viewer"), Milestones(("2024-11-30", 9)), 403, "unitId"),
        ["schedule: department that does not lead the task"] = new("PUT", Schedule42Shangtang, As("department:health"), Milestones(("2024-11-30", 9)), 403, "unitId"),
        ["schedule: unknown task"] = new("PUT", $"{Plan}/assignments/99.9/shangtang/schedule", As("office"), Milestones(("2024-11-30", 9)), 404, "taskId"),
        ["schedule: unit without an assignment"] = new("PUT", $"{Plan}/assignments/7.1/shangtang/schedule", As("office"), Milestones(("2024-11-30", 4)), 404, "unitId"),
        ["schedule: text/plain content type"] = new("PUT", Schedule42Shangtang, As("street:shangtang"), Milestones(("2024-11-30", 9)), 415, "Content-Type", "text/plain"),
        ["schedule: missing token"] = new("PUT", Schedule42Shangtang, NoToken, Milestones(("2024-11-30", 9)), 401, "Authorization"),

        // Cases: the fixture opened one on 4.2 wulin (lead department civil-affairs).
        ["cases: street closes a case"] = new("POST", $"{Cases}/{CaseRef}/close", As("street:wulin"), J(new { reason = "已整改" }), 403, "role"),
        ["cases: lead department closes a case"] = new("POST", $"{Cases}/{CaseRef}/close", As("department:civil-affairs"), J(new { reason = "已整改" }), 403, "role"),
        ["cases: viewer closes a case"] = new("POST", $"{Cases}/{CaseRef}/close", As("viewer"), J(new { reason = "已整改" }), 403, "role"),
        ["cases: department opens a case"] = new("POST", Cases, As("department:civil-affairs"),
            J(new { taskId = "4.2", unitId = "shangtang", reason = "进度滞后" }), 403, "role"),
        ["cases: street opens a case"] = new("POST", Cases, As("street:shangtang"), J(new { taskId = "4.2", unitId = "wulin", reason = "进度滞后" }), 403, "role"),
        ["cases: street responds to a case"] = new("POST", $"{Cases}/{CaseRef}/responses", As("street:wulin"),
            J(new { text = "正在推进", promisedDate = "2024-06-30" }), 403, "role"),
        ["cases: department responds to a case of a task it does not lead"] = new("POST", $"{Cases}/{CaseRef}/responses", As("department:health"),
            J(new { text = "正在推进", promisedDate = "2024-06-30" }), 403, "role"),
        ["cases: office closes an unknown case"] = new("POST", $"{Cases}/no-such-case/close", As("office"), J(new { reason = "已整改" }), 404, "caseId"),
        ["cases: office closes without a reason"] = new("POST", $"{Cases}/{CaseRef}/close", As("office"), "{}", 400, "reason"),
        ["cases: office opens a case on an unknown task"] = new("POST", Cases, As("office"), J(new { taskId = "99.9", unitId = "wulin", reason = "进度滞后" }), 400, "taskId"),
        ["cases: office opens a case on a unit without an assignment"] = new("POST", Cases, As("office"),
            J(new { taskId = "7.1", unitId = "shangtang", reason = "进度滞后" }), 400, "unitId"),
        ["cases: office opens a case without a reason"] = new("POST", Cases, As("office"), J(new { taskId = "4.2", unitId = "shangtang" }), 400, "reason"),
        ["cases: response without promisedDate"] = new("POST", $"{Cases}/{CaseRef}/responses", As("department:civil-affairs"), J(new { text = "正在推进" }), 400, "promisedDate"),
        ["cases: response text over 2000 characters"] = new("POST", $"{Cases}/{CaseRef}/responses", As("department:civil-affairs"),
            J(new { text = TooLongNote, promisedDate = "2024-06-30" }), 400, "text"),
        ["cases: response to an unknown case"] = new("POST", $"{Cases}/no-such-case/responses", As("department:civil-affairs"),
            J(new { text = "正在推进", promisedDate = "2024-06-30" }), 404, "caseId"),
        ["cases: unknown state filter"] = new("GET", $"{Cases}?state=pending", As("office"), null, 400, "state"),
        ["cases: state filter in capitals"] = new("GET", $"{Cases}?state=OPEN", As("viewer"), null, 400, "state"),

        // The simulated clock.
        ["clock: street moves the clock"] = new("POST", "/api/v1/admin/clock", As("street:shangtang"), J(new { now = "2024-12-01T00:00:00+08:00" }), 403, "role"),
        ["clock: department moves the clock"] = new("POST", "/api/v1/admin/clock", As("department:civil-affairs"), J(new { now = "2024-12-01T00:00:00+08:00" }), 403, "role"),
        ["clock: viewer moves the clock"] = new("POST", "/api/v1/admin/clock", As("viewer"), J(new { now = "2024-12-01T00:00:00+08:00" }), 403, "role"),
        ["clock: office moves the clock backwards"] = new("POST", "/api/v1/admin/clock", As("office"), J(new { now = "2024-01-01T00:00:00+08:00" }), 422, "now"),
        ["report: a key given twice"] = new("POST", Reports, As("street:shangtang"),
            """{"reportId":"t-dup","taskId":"4.2","unitId":"shangtang","completed":1,"completed":2}""", 400, "completed"),
        ["report: application/jsonp is not JSON"] = new("POST", Reports, As("street:shangtang"),
            Report("t-jsonp"), 415, "Content-Type", "application/jsonp"),
        ["clock: instant without an offset"] = new("POST", "/api/v1/admin/clock", As("office"), J(new { now = "2024-02-27T00:00:00" }), 400, "now"),
        ["clock: office without now"] = new("POST", "/api/v1/admin/clock", As("office"), "{}", 400, "now"),
        ["clock: missing token"] = new("POST", "/api/v1/admin/clock", NoToken, J(new { now = "2024-12-01T00:00:00+08:00" }), 401, "Authorization"),

        // Reads with unknown ids and wrong methods.
        ["history: unknown task"] = new("GET", $"{Plan}/assignments/99.9/shangtang/history", As("viewer"), null, 404, "taskId"),
        ["history: unit without an assignment"] = new("GET", $"{Plan}/assignments/7.1/shangtang/history", As("viewer"), null, 404, "unitId"),
        ["street: unknown street"] = new("GET", $"{Plan}/streets/nowhere", As("viewer"), null, 404, "streetId"),
        ["department: unknown department"] = new("GET", $"{Plan}/departments/police", As("viewer"), null, 404, "departmentId"),
        ["rollup: unknown plan"] = new("GET", "/api/v1/plans/no-such-plan/rollup", As("viewer"), null, 404, "planId"),
        ["reports: GET is not allowed"] = new("GET", Reports, As("office"), null, 405, "path"),
    };
}
