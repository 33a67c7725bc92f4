using System.Text.Json.Nodes;

namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>One Server-Sent Event as read off the wire.</summary>
public sealed record SseEvent(string Kind, string? Id, JsonNode Data);

/// <summary>Reads whole SSE events (event, id, data lines up to a blank line), skipping comments and heartbeats.</summary>
public sealed class SseReader(Stream stream) : IDisposable
{
    /// <summary>Opens an event stream (<c>GET</c> with <c>Accept: text/event-stream</c>, resuming from <paramref name="lastEventId"/> when given).</summary>
    public static async Task<SseReader> Open(HttpClient client, string path, string? lastEventId, CancellationToken token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
        Xunit.Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseReader(await response.Content.ReadAsStreamAsync(token));
    }

    private readonly StreamReader _reader = new(stream);

    public async Task<SseEvent> Next(CancellationToken token)
    {
        string? kind = null, id = null, data = null;
        while (await _reader.ReadLineAsync(token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null && kind != "heartbeat") return new SseEvent(kind ?? "message", id, JsonNode.Parse(data)!);
                (kind, id, data) = (null, null, null);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) kind = line[7..];
            else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
        }
        throw new EndOfStreamException();
    }

    /// <summary>Reads until an event matches, returning it and everything read on the way (it included).</summary>
    public async Task<List<SseEvent>> Until(Func<SseEvent, bool> match, CancellationToken token)
    {
        var seen = new List<SseEvent>();
        while (true)
        {
            var e = await Next(token);
            seen.Add(e);
            if (match(e)) return seen;
        }
    }

    public void Dispose() => _reader.Dispose();
}
