using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>The live event stream: a snapshot first, then every accepted report as a progress event.</summary>
public sealed class EventsApiTests(EventsApiTests.Host host) : IClassFixture<EventsApiTests.Host>
{
    public sealed class Host : SiloHost;

    [Fact]
    public async Task Stream_sends_snapshot_then_progress_of_an_accepted_report()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var client = host.As("viewer");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/plans/gongshu-2024/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var (kind, data) = await NextEvent(reader, timeout.Token);
        Assert.Equal("snapshot", kind);
        Assert.Equal("gongshu-2024", data["planId"].Str());

        var (status, _) = await host.As("street:tianshui").PostJson("/api/v1/plans/gongshu-2024/reports",
            new { reportId = "sse-1", taskId = "3.1", unitId = "tianshui", completed = 5 });
        Assert.Equal(201, status);
        // Status and case events of supervision may interleave; the report's progress event must come.
        JsonNode progress;
        do (kind, progress) = await NextEvent(reader, timeout.Token);
        while (kind != "progress");
        Assert.Equal(5, progress["completed"]!.GetValue<long>());
        Assert.Equal("3.1", progress["taskId"].Str());
        Assert.Equal("tianshui", progress["unitId"].Str());
        Assert.Equal(8, progress["target"]!.GetValue<long>());
    }

    [Fact]
    public async Task Moving_the_clock_past_the_deadline_streams_status_and_case_events()
    {
        await using var simulated = new SiloHost().With("Minsheng:Clock:Mode", "Simulated");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/plans/gongshu-2024/events");
        using var response = await simulated.As("viewer").SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal("snapshot", (await NextEvent(reader, timeout.Token)).Kind);

        var move = simulated.As("office").PostJson("/api/v1/admin/clock", new { now = "2024-12-01T00:00:00+08:00" });
        var seen = new HashSet<string>();
        JsonNode? overdueCase = null;
        while (overdueCase is null)
        {
            var (kind, data) = await NextEvent(reader, timeout.Token);
            seen.Add(kind);
            if (kind == "case" && data["case"]!["kind"].Str() == "overdue") overdueCase = data;
        }
        Assert.Equal(200, (await move).Status);
        Assert.Contains("status", seen);
        Assert.Equal("opened", overdueCase["action"].Str());
        Assert.Equal("open", overdueCase["case"]!["state"].Str());
    }

    private static async Task<(string Kind, JsonNode Data)> NextEvent(StreamReader reader, CancellationToken token)
    {
        string? kind = null;
        while (await reader.ReadLineAsync(token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) kind = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && kind is not null) return (kind, JsonNode.Parse(line[6..])!);
        }
        throw new EndOfStreamException();
    }
}
