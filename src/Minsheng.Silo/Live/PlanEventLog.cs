using Minsheng.Grains;
using Minsheng.Grains.Messages;

namespace Minsheng.Silo.Live;

/// <summary>An event with its number in the plan's stream (the cluster's one order, given by the plan's events grain).</summary>
public sealed record SequencedEvent(long Sequence, PlanEvent Event);

/// <summary>
/// What a connection reads next from the log: events after its cursor, or the news that some are gone; the cursor and
/// the epoch it belongs to, to read from next.
/// </summary>
public readonly record struct LogRead(IReadOnlyList<SequencedEvent> Events, long Cursor, string? Epoch, bool Gap);

/// <summary>
/// One plan's live events on this silo: the latest events of the plan's stream, under the numbers the plan's events
/// grain gave them (the same on every silo), in a bounded ring. Every connection reads the ring by its own cursor, so a
/// reconnecting client resumes from its Last-Event-ID (on this silo, or on another that holds the same numbers) and a
/// slow one finds out it fell behind (its cursor dropped out of the ring) instead of losing events unseen.
/// Numbers this silo never received (it was not subscribed, or a one-way batch was lost) lie below the log's floor:
/// a cursor there reads a gap.
/// </summary>
public sealed class PlanEventLog(int capacity)
{
    private readonly SequencedEvent?[] _ring = new SequencedEvent?[Math.Max(1, capacity)];
    private readonly Lock _lock = new();
    private string? _epoch;
    private long _last;
    private long _floor;
    private readonly SortedDictionary<long, SequencedEvents> _ahead = [];
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The stream's epoch as this silo knows it (null before it subscribed).</summary>
    public string? Epoch
    {
        get { lock (_lock) return _epoch; }
    }

    /// <summary>The number of the latest event (0 before the first).</summary>
    public long Last
    {
        get { lock (_lock) return _last; }
    }

    /// <summary>
    /// Where the stream stands as the events grain answered a subscription: events up to there that this silo has not
    /// received are missing here (they happened while it was not subscribed), so cursors below it read a gap.
    /// </summary>
    public void Begin(EventStreamPosition position)
    {
        TaskCompletionSource? appended;
        lock (_lock)
        {
            Advance(position.Epoch, position.Last);
            appended = Drain() ? Signal() : null;
        }
        appended?.TrySetResult();
    }

    /// <summary>
    /// Adds a batch the events grain numbered. Batches may arrive out of order (one-way calls overtake each other): a
    /// batch past a hole waits in <see cref="Hole"/> until the batches before it come (or are fetched, or given up with
    /// <see cref="SkipHole"/>), so readers never step over events that are merely late.
    /// </summary>
    public void Append(SequencedEvents batch)
    {
        TaskCompletionSource? appended;
        lock (_lock)
        {
            if (_epoch != batch.Epoch) Advance(batch.Epoch, batch.First - 1);
            if (batch.First - 1 > _last)
            {
                _ahead.TryAdd(batch.First, batch);
                return;
            }
            var any = Take(batch);
            appended = Drain() || any ? Signal() : null;
        }
        appended?.TrySetResult();
    }

    /// <summary>Where this silo's stream has a hole (its epoch and the last number before it), with later batches waiting; null when none.</summary>
    public (string Epoch, long Last)? Hole
    {
        get { lock (_lock) return _ahead.Count > 0 && _epoch is { } epoch ? (epoch, _last) : null; }
    }

    /// <summary>The events of the hole are gone for good (the events grain keeps them no more): readers across it read a gap.</summary>
    public void SkipHole()
    {
        TaskCompletionSource? appended;
        lock (_lock)
        {
            if (_ahead.Count == 0) return;
            _last = _floor = _ahead.Keys.First() - 1;
            appended = Drain() ? Signal() : null;
        }
        appended?.TrySetResult();
    }

    /// <summary>Appends the batch's events after the latest (the batch starts at or before the next number).</summary>
    private bool Take(SequencedEvents batch)
    {
        var any = false;
        for (var i = 0; i < batch.Events.Count; i++)
        {
            var sequence = batch.First + i;
            if (sequence <= _last) continue; // already here (a batch delivered twice)
            _last = sequence;
            _ring[_last % _ring.Length] = new SequencedEvent(_last, batch.Events[i]);
            any = true;
        }
        return any;
    }

    /// <summary>Takes every waiting batch that now follows on; whether any event was added.</summary>
    private bool Drain()
    {
        var any = false;
        while (_ahead.Count > 0)
        {
            var (first, batch) = _ahead.First();
            if (first - 1 > _last) break;
            _ahead.Remove(first);
            any |= Take(batch);
        }
        return any;
    }

    private TaskCompletionSource Signal()
    {
        var appended = _appended;
        _appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return appended;
    }

    /// <summary>Takes the stream as standing at <paramref name="last"/>: a new epoch starts over; numbers skipped are a gap.</summary>
    private void Advance(string epoch, long last)
    {
        if (_epoch != epoch)
        {
            _epoch = epoch;
            _last = last;
            _floor = last;
            Array.Clear(_ring);
            _ahead.Clear();
        }
        else if (last > _last)
        {
            _last = last;
            _floor = last;
        }
    }

    /// <summary>
    /// The events after <paramref name="cursor"/>, oldest first, at most <paramref name="max"/>. When some of them are
    /// not in the ring (fell out, or never received here), answers a gap and the cursor to continue from (the latest).
    /// A cursor of another epoch (the stream started over) is a gap too; one at or ahead of the latest reads nothing yet.
    /// </summary>
    public LogRead ReadAfter(long cursor, string? epoch, int max = 256)
    {
        lock (_lock)
        {
            if (epoch != _epoch || cursor < _floor || (cursor < _last && cursor + 1 < Oldest)) return new LogRead([], _last, _epoch, true);
            if (cursor >= _last) return new LogRead([], cursor, _epoch, false);
            var count = (int)Math.Min(max, _last - cursor);
            var events = new SequencedEvent[count];
            for (var i = 0; i < count; i++) events[i] = _ring[(cursor + 1 + i) % _ring.Length]!;
            return new LogRead(events, cursor + count, _epoch, false);
        }
    }

    /// <summary>Where a new reader starts: the latest number and its epoch.</summary>
    public (long Cursor, string? Epoch) Tail
    {
        get { lock (_lock) return (_last, _epoch); }
    }

    /// <summary>Whether a client whose last event was <paramref name="sequence"/> of <paramref name="epoch"/> can resume here.</summary>
    public bool CanResume(string epoch, long sequence)
    {
        lock (_lock) return epoch == _epoch && sequence <= _last && sequence >= _floor && sequence + 1 >= Oldest;
    }

    private long Oldest => Math.Max(1, _last - _ring.Length + 1);

    /// <summary>Completes when an event after <paramref name="cursor"/> exists (at once when one does already).</summary>
    public Task WaitAfter(long cursor)
    {
        lock (_lock) return _last > cursor ? Task.CompletedTask : _appended.Task;
    }

    /// <summary>The event id of number <paramref name="sequence"/> of <paramref name="epoch"/>: the same on every silo.</summary>
    public static string IdOf(string? epoch, long sequence) => $"{epoch}-{sequence}";

    /// <summary>An id's epoch and number, when it has the form <c>{epoch}-{number}</c>; null otherwise.</summary>
    public static (string Epoch, long Sequence)? Parse(string? eventId) =>
        eventId is { } id && id.Split('-') is [var epoch, var number] && epoch.Length > 0
            && long.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence)
            ? (epoch, sequence)
            : null;
}
