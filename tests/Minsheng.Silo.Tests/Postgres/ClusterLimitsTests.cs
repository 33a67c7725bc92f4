using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Minsheng.Silo.Tests.Infrastructure;
using Minsheng.Testing;
using Xunit.Abstractions;

namespace Minsheng.Silo.Tests.Postgres;

/// <summary>
/// Issue 20, item 3: the documented limits are the cluster's. Three silo processes on one PostgreSQL behind the shipped
/// nginx configuration (round robin): a token's open event streams are counted across the silos, and its burst is the
/// documented one, not three times it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class ClusterLimitsTests(ITestOutputHelper output)
{
    private const string Plan = "/api/v1/plans/gongshu-2024";
    private const int Burst = 30;
    private const int Silos = 3;

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    [Fact]
    public async Task Behind_the_proxy_a_token_gets_the_documented_streams_and_burst_not_three_times_them()
    {
        var db = await TestPostgres.CreateDatabase();
        var settings = new Dictionary<string, string>
        {
            ["Minsheng:RateLimit:EventStreamsPerToken"] = "2",
            ["Minsheng:RateLimit:PermitsPerSecond"] = "1",
            ["Minsheng:RateLimit:Burst"] = $"{Burst}",
        };
        await using var a = TestSilos.Process(db, settings);
        await using var b = TestSilos.Process(db, settings);
        await using var c = TestSilos.Process(db, settings);
        await a.Start();
        await b.Start();
        await c.Start();
        foreach (var silo in new[] { a, b, c })
            await Poll.Until(() => ActiveSilos(silo), n => n == Silos, $"silo {silo.HttpPort} to see {Silos} active silos", TimeSpan.FromSeconds(60));
        await using var proxy = await NginxProxy.StartAsync([a.HttpPort, b.HttpPort, c.HttpPort]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        // (a) Two streams through the proxy (on two silos); the third, on the third silo, is refused; one closed, one opens.
        var streamer = Client(proxy, "viewer", "cluster-streams-" + Guid.NewGuid().ToString("N"));
        var first = await SseReader.Open(streamer, $"{Plan}/events", null, timeout.Token);
        using var second = await SseReader.Open(streamer, $"{Plan}/events", null, timeout.Token);
        Assert.Equal("snapshot", (await first.Next(timeout.Token)).Kind);
        Assert.Equal("snapshot", (await second.Next(timeout.Token)).Kind);
        using (var third = await streamer.GetAsync($"{Plan}/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token))
        {
            Assert.Equal(429, (int)third.StatusCode);
            Assert.NotNull(third.Headers.RetryAfter);
            Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await third.Content.ReadAsStringAsync(timeout.Token))!;
            Assert.Equal("Authorization", problem["field"].Str());
            Assert.Matches(Chinese(), problem["detail"].Str());
            Assert.Contains("2", problem["detail"].Str(), StringComparison.Ordinal);
        }
        first.Dispose();
        // The proxy closes its connection to the silo, which releases the lease (at the latest at its next heartbeat, 15 s).
        var again = await Poll.Until(async () =>
        {
            var response = await streamer.GetAsync($"{Plan}/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if ((int)response.StatusCode == 200) return response;
            response.Dispose();
            return null;
        }, r => r is not null, "a stream to open after one was closed", TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(1));
        using (again)
            Assert.Equal("text/event-stream", again!.Content.Headers.ContentType?.MediaType);

        // (b) A burst of cheap reads by another token: each silo grants ⌈30 ÷ 3⌉ = 10 of it, and refills at 1 ÷ 3 a second.
        using var reader = Client(proxy, "office", "cluster-burst-" + Guid.NewGuid().ToString("N"));
        var accepted = 0;
        var refused = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 90; i++)
        {
            using var response = await reader.GetAsync("/api/v1/plans", timeout.Token);
            if ((int)response.StatusCode == 200) accepted++;
            else if ((int)response.StatusCode == 429) refused++;
            else Assert.Fail($"request {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(timeout.Token)}");
        }
        var elapsed = clock.Elapsed;
        // The cluster's number: the burst, plus at most N − 1 from each silo rounding its share up, plus what the
        // documented rate (1 a second, summed over the silos' thirds) refilled while the requests ran.
        var bound = Burst + (Silos - 1) + (int)Math.Floor(elapsed.TotalSeconds);
        output.WriteLine($"90 requests in {elapsed.TotalMilliseconds:F0} ms: {accepted} accepted, {refused} refused (bound {Burst}..{bound})");
        Assert.InRange(accepted, Burst, bound);
        Assert.Equal(90, accepted + refused);
    }

    [Fact]
    public async Task The_client_address_is_taken_from_X_Forwarded_For_only_when_it_comes_from_a_known_proxy()
    {
        var db = await TestPostgres.CreateDatabase();
        var settings = new Dictionary<string, string>
        {
            ["Minsheng:RateLimit:AnonymousPermitsPerSecond"] = "1",
            ["Minsheng:RateLimit:AnonymousBurst"] = "2",
        };

        // The test is the proxy (127.0.0.1): ten clients' addresses, ten buckets; none is refused.
        await using (var trusting = TestSilos.Process(db, new Dictionary<string, string>(settings) { ["Minsheng:Proxy:KnownProxies:0"] = "127.0.0.1" }))
        {
            await trusting.Start();
            var statuses = await AnonymousFromTenAddresses(trusting);
            Assert.All(statuses, s => Assert.Equal(401, s));
            await trusting.Stop();
        }

        // No proxy configured: the header is ignored, the ten share the one bucket of 127.0.0.1.
        await using var plain = TestSilos.Process(db, settings);
        await plain.Start();
        var clock = Stopwatch.StartNew();
        var shared = await AnonymousFromTenAddresses(plain);
        var served = shared.Count(s => s == 401);
        output.WriteLine($"without a known proxy: {served} of 10 served in {clock.ElapsedMilliseconds} ms");
        Assert.Contains(429, shared);
        Assert.InRange(served, 2, 2 + (int)Math.Floor(clock.Elapsed.TotalSeconds));
    }

    /// <summary>Ten anonymous requests, each claiming another client address (documentation range 203.0.113.0/24).</summary>
    private static async Task<List<int>> AnonymousFromTenAddresses(SiloProcess silo)
    {
        using var client = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var statuses = new List<int>();
        for (var i = 1; i <= 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/plans");
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i}");
            using var response = await client.SendAsync(request);
            statuses.Add((int)response.StatusCode);
        }
        return statuses;
    }

    private static HttpClient Client(NginxProxy proxy, string role, string person)
    {
        var client = new HttpClient { BaseAddress = proxy.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SiloHost.Token(role, person: person));
        return client;
    }

    /// <summary>The silo's own count of active silos, from its metrics port (<c>minsheng_cluster_silos_active</c>).</summary>
    private static async Task<int> ActiveSilos(SiloProcess silo)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            return (int)new PrometheusText(await http.GetStringAsync(silo.MetricsAddress)).Sum("minsheng_cluster_silos_active");
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }
}
