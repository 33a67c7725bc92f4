using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// A region's live stream (issue 19) on its own copy of the districts host (gongshu-2024 and xihu-2024 in hangzhou,
/// haishu-2024 in ningbo), so the ratios below are exact: a snapshot of the region rollup, then after a report in one
/// of its plans a <c>rollup</c> event with the same numbers as <c>GET .../rollup</c>; refused like the rollup.
/// </summary>
public sealed class RegionEventsTests(DistrictsAndRegionsTests.Host host) : IClassFixture<DistrictsAndRegionsTests.Host>
{
    [Fact]
    public async Task A_region_viewer_gets_a_snapshot_then_a_rollup_including_a_report()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/regions/hangzhou/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await host.As("region-viewer:hangzhou").SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var snapshot = await reader.Next(timeout.Token);
        Assert.Equal("snapshot", snapshot.Kind);
        Assert.Equal("hangzhou", snapshot.Data["regionId"].Str());
        Assert.Equal(["gongshu-2024", "xihu-2024"], Plans(snapshot.Data).Select(p => p["planId"].Str()));
        Assert.All(Plans(snapshot.Data), p => Assert.Equal(0m, p["ratio"].Dec()));

        // tianshui's 8 of task 3.1's 200 classes: 8/200 = 1/25 of the task, 1/50 of project 3, 1/500 = 0.002 of gongshu.
        var (status, _) = await host.As("street:tianshui").PostJson("/api/v1/plans/gongshu-2024/reports",
            new { reportId = "region-sse-1", taskId = "3.1", unitId = "tianshui", completed = 8 });
        Assert.Equal(201, status);
        var seen = await reader.Until(e => e.Kind == "rollup" && Plans(e.Data).Any(p => p["planId"].Str() == "gongshu-2024" && p["ratio"].Dec() == 0.002m),
            timeout.Token);
        var rollup = seen[^1].Data;
        Assert.Equal(["gongshu-2024", "xihu-2024"], Plans(rollup).Select(p => p["planId"].Str()));
        Assert.Equal([1, 2], Plans(rollup).Select(p => p["rank"]!.GetValue<int>()));
        Assert.Equal(1, Plans(rollup)[0]["counts"]!["done"]!.GetValue<int>());
        // Exactly what the rollup endpoint answers (its asOf aside).
        await host.Settle("gongshu-2024");
        var own = await host.As("region-viewer:hangzhou").GetOk("/api/v1/regions/hangzhou/rollup");
        Assert.Equal(own["plans"].Canonical(), rollup["plans"].Canonical());
    }

    [Theory]
    [InlineData("region-viewer:ningbo", "hangzhou", 403)]
    [InlineData("street:tianshui", "hangzhou", 403)]
    [InlineData("office", "shanghai", 404)]
    public async Task The_region_stream_is_refused_like_the_region_rollup(string role, string region, int expected)
    {
        var (status, body) = await host.As(role).GetJson($"/api/v1/regions/{region}/events");
        Assert.True(status == expected, $"{status}: {body.Canonical()}");
        Assert.Equal("regionId", body!["field"].Str());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", body["reason"].Str());
    }

    private static List<JsonNode> Plans(JsonNode rollup) => rollup["plans"]!.AsArray().Select(p => p!).ToList();
}
