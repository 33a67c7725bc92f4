using Minsheng.Grains.Messages;
using Minsheng.Silo.Live;

namespace Minsheng.Silo.Tests;

/// <summary>The per-plan ring of live events: reads by cursor, and a gap (never a silent skip) once events are gone.</summary>
public sealed class PlanEventLogTests
{
    private static PlanEvent Event(int n) => new("p", PlanEventKind.Progress, $"{{\"n\":{n}}}", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Events_log_reads_after_a_cursor_and_reports_a_gap_when_the_ring_has_moved_on()
    {
        var log = new PlanEventLog(3);
        log.Append(Enumerable.Range(1, 5).Select(Event));
        Assert.Equal(5, log.Last);

        var read = log.ReadAfter(2);
        Assert.False(read.Gap);
        Assert.Equal([3L, 4L, 5L], read.Events.Select(e => e.Sequence));
        Assert.Equal(5, read.Cursor);

        Assert.True(log.ReadAfter(1).Gap);
        Assert.True(log.ReadAfter(0).Gap);
        var ahead = log.ReadAfter(9);
        Assert.True(ahead.Gap);
        Assert.Equal(5, ahead.Cursor);
        Assert.Empty(log.ReadAfter(5).Events);
    }

    [Fact]
    public async Task Events_log_wakes_a_waiting_reader_when_an_event_is_appended()
    {
        var log = new PlanEventLog(8);
        Assert.True(log.ReadAfter(0) is { Gap: false, Events.Count: 0 });
        var waiting = log.WaitAfter(0);
        Assert.False(waiting.IsCompleted);
        log.Append([Event(1)]);
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(log.WaitAfter(0).IsCompleted);
    }

    [Fact]
    public void An_event_is_serialized_when_a_connection_first_reads_it_and_never_when_none_does()
    {
        var log = new PlanEventLog(2);
        var unread = new CountedPayload();
        var read = new CountedPayload();
        log.Append([Minsheng.Grains.Events.PlanEvents.Create("p", PlanEventKind.Progress, unread, DateTimeOffset.UnixEpoch)]);
        log.Append([Minsheng.Grains.Events.PlanEvents.Create("p", PlanEventKind.Progress, read, DateTimeOffset.UnixEpoch)]);
        Assert.Equal(0, unread.Reads + read.Reads);

        // Two connections deliver the second event: the first writes its JSON, the second reuses it.
        var first = log.ReadAfter(1).Events.Single().Event.Data;
        var second = log.ReadAfter(1).Events.Single().Event.Data;
        Assert.Equal("""{"value":7}""", first);
        Assert.Same(first, second);
        Assert.Equal(1, read.Reads);

        // The first event leaves the ring unread: it was never serialized.
        log.Append([Event(3)]);
        Assert.True(log.ReadAfter(0).Gap);
        Assert.Equal(0, unread.Reads);
    }

    /// <summary>A payload that counts how often the serializer reads it (a field: the serializer writes properties only).</summary>
    private sealed class CountedPayload
    {
        public int Reads;

        public int Value
        {
            get
            {
                Interlocked.Increment(ref Reads);
                return 7;
            }
        }
    }
}
