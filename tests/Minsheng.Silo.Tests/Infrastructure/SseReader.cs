using System.Text.Json.Nodes;

namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>One Server-Sent Event as read off the wire.</summary>
public sealed record SseEvent(string Kind, string? Id, JsonNode Data);

/// <summary>Reads whole SSE events (event, id, data lines up to a blank line), skipping comments and heartbeats.</summary>
public sealed class SseReader(Stream stream) : IDisposable
{
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
