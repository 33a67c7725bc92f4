using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// The limits on one caller: a token bucket and a number of open event streams per validated subject (never per
/// raw header), and anonymous callers by their address.
/// </summary>
public sealed partial class CallerLimitsTests
{
    private const string Plan = "/api/v1/plans/gongshu-2024";

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    /// <summary>Burst 5, then one a second, per bearer token and per anonymous client address.</summary>
    public sealed class RateLimitedHost : SiloHost
    {
        public RateLimitedHost()
        {
            With("Minsheng:RateLimit:PermitsPerSecond", "1");
            With("Minsheng:RateLimit:Burst", "5");
            With("Minsheng:RateLimit:AnonymousPermitsPerSecond", "1");
            With("Minsheng:RateLimit:AnonymousBurst", "5");
        }
    }

    [Fact]
    public async Task Sixth_quick_request_with_one_token_is_429_while_another_token_is_served()
    {
        await using var limited = new RateLimitedHost();
        var now = DateTimeOffset.UtcNow;
        var warm = limited.CreateClient();
        warm.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SiloHost.Token("office", now: now.AddSeconds(-40)));
        Assert.Equal(200, (await warm.GetJson("/api/v1/plans")).Status);

        var client = limited.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SiloHost.Token("viewer", now: now.AddSeconds(-20)));
        for (var i = 1; i <= 5; i++)
        {
            using var ok = await client.GetAsync("/api/v1/plans");
            Assert.True(ok.StatusCode == HttpStatusCode.OK, $"request {i} answered {(int)ok.StatusCode}");
        }
        using var sixth = await client.GetAsync("/api/v1/plans");
        Assert.Equal(429, (int)sixth.StatusCode);
        Assert.NotNull(sixth.Headers.RetryAfter);
        Assert.Equal("application/problem+json", sixth.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await sixth.Content.ReadAsStringAsync())!;
        Assert.Equal("Authorization", problem["field"].Str());
        Assert.Matches(Chinese(), problem["detail"].Str());

        var other = limited.CreateClient();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SiloHost.Token("street:shangtang", now: now.AddSeconds(-10)));
        Assert.Equal(200, (await other.GetJson("/api/v1/plans")).Status);
    }

    /// <summary>One open event stream per token.</summary>
    public sealed class OneStreamHost : SiloHost
    {
        public OneStreamHost() => With("Minsheng:RateLimit:EventStreamsPerToken", "1");
    }

    [Fact]
    public async Task Second_concurrent_event_stream_with_one_token_is_429()
    {
        await using var streams = new OneStreamHost();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var token = SiloHost.Token("street:hemu", person: "stream-limit-" + Guid.NewGuid().ToString("N"));
        var client = streams.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        const string events = Plan + "/events";

        using (var first = await client.GetAsync(events, HttpCompletionOption.ResponseHeadersRead, timeout.Token))
        {
            Assert.Equal(200, (int)first.StatusCode);
            Assert.Equal("text/event-stream", first.Content.Headers.ContentType?.MediaType);

            using var second = await client.GetAsync(events, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            Assert.Equal(429, (int)second.StatusCode);
            Assert.NotNull(second.Headers.RetryAfter);
            Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await second.Content.ReadAsStringAsync(timeout.Token))!;
            Assert.Equal("Authorization", problem["field"].Str());
            Assert.Matches(Chinese(), problem["detail"].Str());

            // Another token is not held back by this one's stream.
            var other = streams.CreateClient();
            other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SiloHost.Token("street:hemu", person: "stream-limit-other-" + Guid.NewGuid().ToString("N")));
            using var third = await other.GetAsync(events, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            Assert.Equal(200, (int)third.StatusCode);
        }
    }


    [Fact]
    public async Task Made_up_bearer_strings_share_the_anonymous_bucket_and_are_throttled()
    {
        await using var limited = new RateLimitedHost();
        var statuses = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/plans");
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer made-up-{Guid.NewGuid():N}");
            using var response = await limited.CreateClient().SendAsync(request);
            statuses.Add((int)response.StatusCode);
        }
        // Each is refused as unauthenticated, and past the burst the refusals themselves are throttled: 401 ×5, then 429.
        Assert.Equal(5, statuses.Count(s => s == 401));
        Assert.Equal(7, statuses.Count(s => s == 429));
    }

    [Fact]
    public async Task One_token_written_two_ways_is_one_caller_for_the_bucket()
    {
        await using var limited = new RateLimitedHost();
        var token = SiloHost.Token("viewer", person: "padding-" + Guid.NewGuid().ToString("N"));
        for (var i = 1; i <= 5; i++)
        {
            var written = i % 2 == 0 ? token + "=" : token;
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/plans");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + written);
            using var ok = await limited.CreateClient().SendAsync(request);
            Assert.True((int)ok.StatusCode is 200 or 401, $"request {i} answered {(int)ok.StatusCode}");
        }
        using var sixth = new HttpRequestMessage(HttpMethod.Get, "/api/v1/plans");
        sixth.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token + "=");
        using var answer = await limited.CreateClient().SendAsync(sixth);
        Assert.True((int)answer.StatusCode is 429 or 401, $"a padded copy of a spent token got {(int)answer.StatusCode}");
        using var plain = await TokenClient(limited, token).GetAsync("/api/v1/plans");
        Assert.Equal(429, (int)plain.StatusCode);
    }

    [Fact]
    public async Task A_padded_copy_of_a_token_gets_no_second_event_stream()
    {
        await using var streams = new OneStreamHost();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var token = SiloHost.Token("viewer", person: "stream-padding-" + Guid.NewGuid().ToString("N"));
        using var first = await TokenClient(streams, token).GetAsync(Plan + "/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(200, (int)first.StatusCode);
        using var second = await TokenClient(streams, token + "=").GetAsync(Plan + "/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.True((int)second.StatusCode is 429 or 401, $"a padded copy opened a second stream: {(int)second.StatusCode}");
    }

    private static HttpClient TokenClient(SiloHost host, string token)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return client;
    }
}
