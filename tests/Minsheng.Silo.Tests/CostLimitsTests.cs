using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Silo.Api;
using Minsheng.Hosting.Auth;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// Limits on what costs the silo CPU: exports in progress (per caller and in total, 429 with Retry-After, nothing
/// queued), anonymous requests (per client address and all together), and the page's files answered from browser
/// caches (ETag and Last-Modified, 304 on revalidation).
/// </summary>
public sealed class CostLimitsTests
{
    private const string Breakdown = "/api/v1/plans/gongshu-2024/exports/breakdown?format=csv";

    private static HttpContext CallerContext(string role) => new DefaultHttpContext
    {
        User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(Caller.RoleClaim, role), new Claim(Caller.SubjectClaim, role)], "Bearer")),
    };

    /// <summary>Runs the gate's filter with an export that finishes only when told to.</summary>
    private static (ValueTask<object?> Answer, TaskCompletionSource Finish) Start(ExportGate gate, HttpContext context)
    {
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = gate.Filter(EndpointFilterInvocationContext.Create(context), async _ => { await finish.Task; return "exported"; });
        return (answer, finish);
    }

    private static async Task<int> StatusOf(ValueTask<object?> answer, HttpContext context)
    {
        var result = await answer;
        if (result is "exported") return 200;
        var http = (IStatusCodeHttpResult)result!;
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
        return http.StatusCode!.Value;
    }

    [Fact]
    public async Task The_export_gate_admits_two_per_caller_and_four_in_all_and_refuses_the_rest_at_once()
    {
        using var gate = new ExportGate(new ExportLimitOptions { PerCaller = 2, Total = 4 });
        var a1 = Start(gate, CallerContext("viewer"));
        var a2 = Start(gate, CallerContext("viewer"));
        var a3Context = CallerContext("viewer");
        Assert.Equal(429, await StatusOf(Start(gate, a3Context).Answer, a3Context)); // the caller's third
        var b1 = Start(gate, CallerContext("office"));
        var c1 = Start(gate, CallerContext("street:tianshui"));
        var dContext = CallerContext("street:wulin");
        Assert.Equal(429, await StatusOf(Start(gate, dContext).Answer, dContext)); // the silo's fifth

        a1.Finish.SetResult();
        Assert.Equal("exported", await a1.Answer);
        var d2Context = CallerContext("street:wulin");
        var d2 = Start(gate, d2Context);
        d2.Finish.SetResult();
        Assert.Equal(200, await StatusOf(d2.Answer, d2Context)); // a permit came back
        foreach (var running in new[] { a2, b1, c1 }) running.Finish.SetResult();
        foreach (var running in new[] { a2, b1, c1 }) Assert.Equal("exported", await running.Answer);
    }

    [Fact]
    public async Task A_failed_export_gives_its_permit_back()
    {
        using var gate = new ExportGate(new ExportLimitOptions { PerCaller = 1, Total = 1 });
        var context = CallerContext("viewer");
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await gate.Filter(EndpointFilterInvocationContext.Create(context), _ => throw new InvalidOperationException("boom")));
        var again = Start(gate, CallerContext("viewer"));
        again.Finish.SetResult();
        Assert.Equal("exported", await again.Answer);
    }

    public sealed class ExportHost : SiloHost
    {
        public ExportHost()
        {
            With("Minsheng:Exports:PerCaller", "1");
            With("Minsheng:Exports:Total", "2");
        }
    }

    [Fact]
    public async Task The_export_endpoints_pass_the_gate()
    {
        await using var host = new ExportHost();
        var viewer = host.As("viewer");
        Assert.Equal(200, (int)(await viewer.GetAsync(Breakdown)).StatusCode);

        // The viewer's one permit is taken (as by an export still being written): its next export is refused at once.
        var gate = host.Services.GetRequiredService<ExportGate>();
        using (gate.Hold(CallerContext("viewer")))
        {
            foreach (var path in new[] { Breakdown, "/api/v1/plans/gongshu-2024/exports/rankings/weekly/2024-W23?format=xlsx",
                                         "/api/v1/plans/gongshu-2024/exports/evaluations/2024-06?format=csv" })
            {
                using var refused = await viewer.GetAsync(path);
                Assert.Equal(429, (int)refused.StatusCode);
                Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                var problem = System.Text.Json.Nodes.JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
                Assert.Equal("exports", problem["field"]!.GetValue<string>());
                Assert.Contains("导出正忙", problem["detail"]!.GetValue<string>());
            }
            // Another caller is served; with the silo's second permit taken too, nobody is.
            Assert.Equal(200, (int)(await host.As("office").GetAsync(Breakdown)).StatusCode);
            using (gate.Hold(CallerContext("street:tianshui")))
                Assert.Equal(429, (int)(await host.As("office").GetAsync(Breakdown)).StatusCode);
        }
        Assert.Equal(200, (int)(await viewer.GetAsync(Breakdown)).StatusCode);
    }

    public sealed class AnonymousHost : SiloHost
    {
        public AnonymousHost()
        {
            With("Minsheng:RateLimit:AnonymousPermitsPerSecond", "1");
            With("Minsheng:RateLimit:AnonymousBurst", "3");
        }
    }

    [Fact]
    public async Task Anonymous_requests_spend_a_small_budget_of_their_own_and_tokens_are_not_charged()
    {
        await using var host = new AnonymousHost();
        var anonymous = host.As(null);
        var statuses = new List<int>();
        for (var i = 0; i < 6; i++)
            statuses.Add((int)(await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal([200, 200, 200], statuses.Take(3));
        Assert.Contains(429, statuses.Skip(3));
        using var limited = await anonymous.GetAsync("/index.html");
        Assert.Equal(429, (int)limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        // Health probes are never limited; a caller with a token draws on its own bucket.
        Assert.Equal(200, (int)(await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(200, (int)(await host.As("viewer").GetAsync("/api/v1/plans")).StatusCode);
    }

    /// <summary>
    /// Behind a trusted proxy (10.0.0.1): each client address may make 8 anonymous requests at once, all addresses
    /// together 20, each bucket refilling at 1 a second.
    /// </summary>
    public sealed class SharedAnonymousHost : SiloHost
    {
        public const string Proxy = "10.0.0.1";
        public const int PerAddressBurst = 8;
        public const int TotalBurst = 20;

        public SharedAnonymousHost()
        {
            With("Minsheng:Proxy:KnownProxies:0", Proxy);
            With("Minsheng:RateLimit:AnonymousPermitsPerSecond", "1");
            With("Minsheng:RateLimit:AnonymousBurst", PerAddressBurst.ToString(System.Globalization.CultureInfo.InvariantCulture));
            With("Minsheng:RateLimit:AnonymousTotalPerSecond", "1");
            With("Minsheng:RateLimit:AnonymousTotalBurst", TotalBurst.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        /// <summary>A request as the proxy forwards it for <paramref name="client"/>, with a bearer token for <paramref name="role"/> or none.</summary>
        public Task<HttpContext> Forwarded(string path, string client, string? role = null) => Server.SendAsync(context =>
        {
            context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(Proxy);
            context.Request.Method = "GET";
            context.Request.Path = path;
            context.Request.Headers["X-Forwarded-For"] = client;
            if (role is not null) context.Request.Headers.Authorization = "Bearer " + Token(role);
        });
    }

    [Fact]
    public async Task Many_addresses_each_within_their_budget_together_exhaust_the_shared_anonymous_bucket_and_tokens_are_not_charged()
    {
        await using var host = new SharedAnonymousHost();
        string[] clients = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"];
        // Warm the page's files and the token path up, then start counting: every request below is forwarded by the proxy.
        Assert.Equal(200, (await host.Forwarded("/api/v1/plans", clients[0], "viewer")).Response.StatusCode);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // A caller with a token draws on its own bucket, never on the anonymous ones: ten of them spend nothing there.
        for (var i = 0; i < 10; i++)
            Assert.Equal(200, (await host.Forwarded("/index.html", clients[i % clients.Length], "viewer")).Response.StatusCode);

        // Four addresses, 7 requests each (under each one's burst of 8), 28 together (over the shared burst of 20).
        var statuses = new List<(string Client, int Status)>();
        HttpContext? refused = null;
        for (var round = 0; round < SharedAnonymousHost.PerAddressBurst - 1; round++)
        foreach (var client in clients)
        {
            var context = await host.Forwarded("/index.html", client);
            statuses.Add((client, context.Response.StatusCode));
            if (context.Response.StatusCode == 429) refused ??= context;
        }
        var elapsed = clock.Elapsed;
        var served = statuses.Count(s => s.Status == 200);
        Assert.All(statuses, s => Assert.Contains(s.Status, new[] { 200, 429 }));
        Assert.All(clients, c => Assert.Equal(SharedAnonymousHost.PerAddressBurst - 1, statuses.Count(s => s.Client == c)));
        // The shared bucket's burst, plus at most what it refilled meanwhile (1 a second); had the ten token-bearing
        // requests been charged, fewer; had there been no shared bucket, all 28.
        Assert.InRange(served, SharedAnonymousHost.TotalBurst, SharedAnonymousHost.TotalBurst + (int)Math.Ceiling(elapsed.TotalSeconds));
        Assert.NotNull(refused);
        Assert.Equal(429, refused.Response.StatusCode);
        Assert.True(int.TryParse(refused.Response.Headers.RetryAfter.ToString(), out var retry) && retry >= 1,
            $"Retry-After: '{refused.Response.Headers.RetryAfter}'");
        Assert.Equal("application/problem+json", refused.Response.ContentType?.Split(';')[0]);

        // A token is still served at once, from any of those addresses.
        Assert.Equal(200, (await host.Forwarded("/api/v1/plans", clients[1], "viewer")).Response.StatusCode);
        Assert.Equal(200, (await host.Forwarded("/index.html", clients[2], "viewer")).Response.StatusCode);
    }

    [Fact]
    public async Task The_pages_files_revalidate_with_etag_and_last_modified()
    {
        await using var host = new SiloHost();
        var client = host.As(null);
        foreach (var path in new[] { "/", "/index.html", "/js/main.js", "/css/battle-map.css" })
        {
            using var first = await client.GetAsync(path);
            Assert.Equal(200, (int)first.StatusCode);
            var etag = first.Headers.ETag;
            Assert.NotNull(etag);
            Assert.NotNull(first.Content.Headers.LastModified);
            Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());

            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(etag);
            using var revalidated = await client.SendAsync(again);
            Assert.Equal(304, (int)revalidated.StatusCode);
            Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());

            using var since = new HttpRequestMessage(HttpMethod.Get, path);
            since.Headers.IfModifiedSince = first.Content.Headers.LastModified;
            using var unchanged = await client.SendAsync(since);
            Assert.Equal(304, (int)unchanged.StatusCode);
        }
    }
}
