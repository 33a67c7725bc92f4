using Minsheng.Grains;
using Minsheng.Grains.Messages;
using Minsheng.Silo.Live;

namespace Minsheng.Silo.Tests;

/// <summary>
/// The per-plan ring of live events on a silo, under the numbers the plan's events grain gave them: reads by cursor,
/// and a gap (never a silent skip) once events are gone or were never received here.
/// </summary>
public sealed class PlanEventLogTests
{
    private const string Epoch = "e1";

    private static PlanEvent Event(int n) => new("p", PlanEventKind.Progress, $"{{\"n\":{n}}}", DateTimeOffset.UnixEpoch);

    private static SequencedEvents Batch(long first, params PlanEvent[] events) => new("p", Epoch, first, events);

    private static PlanEventLog Subscribed(int capacity, long last = 0)
    {
        var log = new PlanEventLog(capacity);
        log.Begin(new EventStreamPosition("p", Epoch, last));
        return log;
    }

    [Fact]
    public void Events_log_reads_after_a_cursor_and_reports_a_gap_when_the_ring_has_moved_on()
    {
        var log = Subscribed(3);
        log.Append(Batch(1, [.. Enumerable.Range(1, 5).Select(Event)]));
        Assert.Equal(5, log.Last);

        var read = log.ReadAfter(2, Epoch);
        Assert.False(read.Gap);
        Assert.Equal([3L, 4L, 5L], read.Events.Select(e => e.Sequence));
        Assert.Equal(5, read.Cursor);

        Assert.True(log.ReadAfter(1, Epoch).Gap);
        Assert.True(log.ReadAfter(0, Epoch).Gap);
        Assert.True(log.ReadAfter(4, "another epoch").Gap);
        // Ahead of this silo's log (a resumed client that the events grain served further): nothing yet, no gap.
        var ahead = log.ReadAfter(9, Epoch);
        Assert.False(ahead.Gap);
        Assert.Empty(ahead.Events);
        Assert.Empty(log.ReadAfter(5, Epoch).Events);
        Assert.True(log.CanResume(Epoch, 3));
        Assert.False(log.CanResume(Epoch, 1));
        Assert.False(log.CanResume("another epoch", 3));
    }

    [Fact]
    public void Numbers_this_silo_never_received_are_a_gap_and_a_batch_delivered_twice_counts_once()
    {
        var log = Subscribed(16, last: 10);
        // Subscribed at 10: what came before was never received here.
        Assert.True(log.ReadAfter(9, Epoch).Gap);
        log.Append(Batch(11, Event(11), Event(12)));
        log.Append(Batch(11, Event(11), Event(12)));
        Assert.Equal([11L, 12L], log.ReadAfter(10, Epoch).Events.Select(e => e.Sequence));

        // A batch (13, 14) not here yet: the next one, 15, waits behind the hole; readers at 12 read nothing yet, no gap.
        log.Append(Batch(15, Event(15)));
        Assert.Equal((Epoch, 12L), log.Hole);
        Assert.True(log.ReadAfter(12, Epoch) is { Gap: false, Events.Count: 0 });
        // The batch is lost for good (the events grain keeps it no more): a reader at 12 gets a gap, one at 14 reads on.
        log.SkipHole();
        Assert.Null(log.Hole);
        Assert.True(log.ReadAfter(12, Epoch).Gap);
        Assert.Equal([15L], log.ReadAfter(14, Epoch).Events.Select(e => e.Sequence));
        Assert.False(log.CanResume(Epoch, 12));

        // A renewal that finds the stream further than this log takes the gap too.
        log.Begin(new EventStreamPosition("p", Epoch, 20));
        Assert.True(log.ReadAfter(15, Epoch).Gap);
        Assert.Equal("e1-20", PlanEventLog.IdOf(log.Epoch, log.Last));
        Assert.Equal(("e1", 20L), PlanEventLog.Parse("e1-20"));
        Assert.Null(PlanEventLog.Parse("e1-x"));
        Assert.Null(PlanEventLog.Parse("20"));
    }

    [Fact]
    public void Batches_that_overtake_each_other_are_read_in_number_order_without_a_gap()
    {
        var log = Subscribed(16, last: 10);
        log.Append(Batch(15, Event(15), Event(16)));
        log.Append(Batch(13, Event(13), Event(14)));
        Assert.True(log.ReadAfter(10, Epoch) is { Gap: false, Events.Count: 0 });
        var waiting = log.WaitAfter(10);
        log.Append(Batch(11, Event(11), Event(12)));
        Assert.True(waiting.IsCompleted);
        Assert.Null(log.Hole);
        var read = log.ReadAfter(10, Epoch);
        Assert.False(read.Gap);
        Assert.Equal([11L, 12L, 13L, 14L, 15L, 16L], read.Events.Select(e => e.Sequence));
        Assert.True(log.CanResume(Epoch, 12));
    }

    [Fact]
    public async Task Events_log_wakes_a_waiting_reader_when_an_event_is_appended()
    {
        var log = Subscribed(8);
        Assert.True(log.ReadAfter(0, Epoch) is { Gap: false, Events.Count: 0 });
        var waiting = log.WaitAfter(0);
        Assert.False(waiting.IsCompleted);
        log.Append(Batch(1, Event(1)));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(log.WaitAfter(0).IsCompleted);
    }

    [Fact]
    public void An_event_is_serialized_when_a_connection_first_reads_it_and_never_when_none_does()
    {
        var log = Subscribed(2);
        var unread = new CountedPayload();
        var read = new CountedPayload();
        log.Append(Batch(1, Minsheng.Grains.Events.PlanEvents.Create("p", PlanEventKind.Progress, unread, DateTimeOffset.UnixEpoch)));
        log.Append(Batch(2, Minsheng.Grains.Events.PlanEvents.Create("p", PlanEventKind.Progress, read, DateTimeOffset.UnixEpoch)));
        Assert.Equal(0, unread.Reads + read.Reads);

        // Two connections deliver the second event: the first writes its JSON, the second reuses it.
        var first = log.ReadAfter(1, Epoch).Events.Single().Event.Data;
        var second = log.ReadAfter(1, Epoch).Events.Single().Event.Data;
        Assert.Equal("""{"value":7}""", first);
        Assert.Same(first, second);
        Assert.Equal(1, read.Reads);

        // The first event leaves the ring unread: it was never serialized.
        log.Append(Batch(3, Event(3)));
        Assert.True(log.ReadAfter(0, Epoch).Gap);
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
