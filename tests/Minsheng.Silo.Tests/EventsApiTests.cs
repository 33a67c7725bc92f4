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
        (kind, var progress) = await NextEvent(reader, timeout.Token);
        Assert.Equal("progress", kind);
        Assert.Equal(5, progress["completed"]!.GetValue<long>());
        Assert.Equal("3.1", progress["taskId"].Str());
        Assert.Equal("tianshui", progress["unitId"].Str());
        Assert.Equal(8, progress["target"]!.GetValue<long>());
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
