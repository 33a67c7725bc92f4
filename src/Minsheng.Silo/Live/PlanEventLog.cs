using Minsheng.Grains.Messages;

namespace Minsheng.Silo.Live;

/// <summary>An event with its place in the plan's sequence on this silo.</summary>
public sealed record SequencedEvent(long Sequence, PlanEvent Event);

/// <summary>What a connection reads next from the log: events after its cursor, or the news that some are gone.</summary>
public readonly record struct LogRead(IReadOnlyList<SequencedEvent> Events, long Cursor, bool Gap);

/// <summary>
/// One plan's live events on this silo: a monotonically increasing sequence and a bounded ring of the latest events.
/// Every connection reads the ring by its own cursor, so a reconnecting client resumes from its Last-Event-ID and a
/// slow one finds out it fell behind (its cursor dropped out of the ring) instead of losing events unseen.
/// </summary>
public sealed class PlanEventLog(int capacity)
{
    private readonly SequencedEvent[] _ring = new SequencedEvent[Math.Max(1, capacity)];
    private readonly Lock _lock = new();
    private long _last;
    private long _floor;
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The sequence of the latest event (0 before the first).</summary>
    public long Last
    {
        get { lock (_lock) return _last; }
    }

    public void Append(IEnumerable<PlanEvent> events)
    {
        TaskCompletionSource appended;
        lock (_lock)
        {
            var any = false;
            foreach (var e in events)
            {
                _last++;
                _ring[_last % _ring.Length] = new SequencedEvent(_last, e);
                any = true;
            }
            if (!any) return;
            appended = _appended;
            _appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        appended.TrySetResult();
    }

    /// <summary>
    /// Marks that events may have been missed here (the silo was not subscribed): a cursor from before reads a gap.
    /// One sequence number is skipped, so the cursor of a stream that starts now is the new floor.
    /// </summary>
    public void Discontinue()
    {
        lock (_lock)
        {
            _last++;
            _floor = _last;
        }
    }

    /// <summary>
    /// The events after <paramref name="cursor"/>, oldest first, at most <paramref name="max"/>. When some of them are
    /// no longer in the ring, or the cursor is ahead of the log, answers a gap and the cursor to continue from (the latest).
    /// </summary>
    public LogRead ReadAfter(long cursor, int max = 256)
    {
        lock (_lock)
        {
            var oldest = Math.Max(1, _last - _ring.Length + 1);
            if (cursor > _last || cursor + 1 < oldest || cursor < _floor) return new LogRead([], _last, true);
            var count = (int)Math.Min(max, _last - cursor);
            var events = new SequencedEvent[count];
            for (var i = 0; i < count; i++) events[i] = _ring[(cursor + 1 + i) % _ring.Length];
            return new LogRead(events, cursor + count, false);
        }
    }

    /// <summary>Completes when an event after <paramref name="cursor"/> exists (at once when one does already).</summary>
    public Task WaitAfter(long cursor)
    {
        lock (_lock) return _last > cursor ? Task.CompletedTask : _appended.Task;
    }
}
