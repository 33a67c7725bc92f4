using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Minsheng.Grains.Messages;
using Orleans.Utilities;

namespace Minsheng.Grains.Events;

/// <summary>
/// A plan's live events in the cluster's one order (issue 20, item 2). Every event of the plan passes through this one
/// activation, which numbers it: the numbers of an activation come from a block reserved in storage before the first
/// is given out, so they only grow, across activations and restarts (in PostgreSQL mode), and an id
/// <c>{epoch}-{number}</c> means the same event on every silo. The epoch is made once per plan and stored with the
/// reservation (a memory cluster that restarts starts a new one, so its old ids are recognised as unknown).
/// The latest <see cref="Kept"/> events stay here for a client that resumes on a silo which did not see them.
/// Silos subscribe and renew every 30 s (LiveEventSubscription); one not renewed within <see cref="ObserverLifetime"/>
/// is dropped at the next publish (its silo is gone), as Orleans' <see cref="ObserverManager{TObserver}"/> does.
/// </summary>
public sealed class PlanEventsGrain : Grain, IPlanEventsGrain
{
    internal static readonly TimeSpan ObserverLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Events kept for resuming clients (the silos' own replay buffers default to the same).</summary>
    internal const int Kept = 4096;

    /// <summary>Numbers reserved per storage write.</summary>
    internal const long Block = 1 << 20;

    private readonly IPersistentState<PlanEventsState> _state;
    private readonly ILogger _logger;
    private readonly ObserverManager<IPlanEventObserver> _observers;
    private readonly PlanEvent?[] _ring = new PlanEvent?[Kept];
    private readonly ProgressVersions _progress = new();
    private long _next;
    private long _oldest;

    public PlanEventsGrain(
        [PersistentState(StorageNames.EventsState, StorageNames.Facts)] IPersistentState<PlanEventsState> state,
        TimeProvider clock, ILogger<PlanEventsGrain> logger)
    {
        _state = state;
        _logger = logger;
        // The grains' clock rather than the wall clock, so a test silo with a fake clock can expire an observer.
        _observers = new ObserverManager<IPlanEventObserver>(ObserverLifetime, logger)
        {
            GetDateTime = () => clock.GetUtcNow().UtcDateTime,
        };
    }

    private string PlanId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state.State.Epoch ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        if (_state.State.Handoff is { } handoff)
        {
            // The last activation left cleanly (its silo shut down) and stored its latest events: numbering goes on from
            // them and they are kept here again, so clients whose streams that silo ended resume on another without a resync.
            _next = handoff.Next;
            _oldest = handoff.Next - handoff.Events.Count;
            for (var i = 0; i < handoff.Events.Count; i++)
            {
                var e = handoff.Events[i];
                _ring[(_oldest + i) % Kept] = new PlanEvent(PlanId, e.Kind, e.Data, e.At);
                if (e.Kind == PlanEventKind.Progress && Progress(_ring[(_oldest + i) % Kept]!) is { } p)
                    _progress.Advance(p.TaskId, p.UnitId, p.MetricId, p.Version);
            }
            _state.State.Handoff = null;
            await _state.WriteStateAsync(); // taken: a crash of this activation must not hand the same numbers out again
            return;
        }
        _next = _state.State.Reserved + 1;
        _oldest = _next;
        // A fresh block before the first number: the unused rest of the last activation's block is skipped, never reused.
        await ReserveAfter(_next - 1);
    }

    /// <summary>
    /// Leaving while a silo watches the plan (its silo shuts down, or the silo holding its directory entry does; a watched
    /// plan's grain is renewed every 30 s and never idles), the activation stores where numbering stands and its latest
    /// events (at most <see cref="HandedOver"/>) for the next. A crash stores nothing: the next starts a new block.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _logger.LogInformation("Events of {PlanId} deactivating ({Reason}, {Observers} observers, numbers {Oldest}..{Next})", PlanId, reason, _observers.Count, _oldest, _next - 1);
        if (_observers.Count == 0 || _next == _oldest) return;
        var count = (int)Math.Min(HandedOver, _next - _oldest);
        var events = new List<HandedOverEvent>(count);
        for (var n = _next - count; n < _next; n++)
        {
            var e = _ring[n % Kept]!;
            events.Add(new HandedOverEvent(e.Kind, e.Data, e.At));
        }
        _state.State.Handoff = new EventsHandoff(_next, events);
        try { await _state.WriteStateAsync(); }
        catch (Exception e)
        {
            // Not stored: the next activation starts a new block, as after a crash (readers resync).
            _state.State.Handoff = null;
            _logger.LogWarning(e, "Handing the latest events of {PlanId} to the next activation failed", PlanId);
        }
    }

    private static ProgressEventData? Progress(PlanEvent e)
    {
        try { return e.PayloadAs<ProgressEventData>(); }
        catch (System.Text.Json.JsonException) { return null; } // not a report's event (tests publish bare JSON)
    }

    /// <summary>Events stored for the next activation when a silo shuts down.</summary>
    internal const int HandedOver = 1024;

    public Task<EventStreamPosition> Subscribe(IPlanEventObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.FromResult(Position);
    }

    public Task Unsubscribe(IPlanEventObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public async Task Publish(IReadOnlyList<PlanEvent> events)
    {
        events = New(events);
        if (events.Count == 0) return;
        if (_next + events.Count - 1 > _state.State.Reserved) await ReserveAfter(_next + events.Count - 1);
        var first = _next;
        foreach (var e in events) _ring[_next++ % Kept] = e;
        _oldest = Math.Max(_oldest, _next - Kept);
        var batch = new SequencedEvents(PlanId, _state.State.Epoch!, first, events);
        // OnEvents is one-way: sending returns at once, so this turn never waits for a silo; a silo that is gone costs a
        // lost message until its observer expires (ObserverManager drops expired observers here, before sending). A silo
        // that missed a batch sees the gap in the numbers.
        _observers.Notify(observer => { _ = observer.OnEvents(batch); });
    }

    public Task<SequencedEvents?> ReadAfter(string epoch, long after)
    {
        var last = _next - 1;
        if (epoch != _state.State.Epoch || after > last || after + 1 < _oldest) return Task.FromResult<SequencedEvents?>(null);
        var events = new List<PlanEvent>((int)(last - after));
        for (var n = after + 1; n <= last; n++) events.Add(_ring[n % Kept]!);
        return Task.FromResult<SequencedEvents?>(new SequencedEvents(PlanId, _state.State.Epoch!, after + 1, events));
    }

    /// <summary>
    /// The events not already published: a progress event at or below the version this activation last published for
    /// its assignment is one sent again (a retry republishes in case the first activation died before publishing).
    /// </summary>
    private IReadOnlyList<PlanEvent> New(IReadOnlyList<PlanEvent> events)
    {
        List<PlanEvent>? fresh = null;
        for (var i = 0; i < events.Count; i++)
        {
            var seen = events[i].Kind == PlanEventKind.Progress && events[i].Typed<ProgressEventData>() is { } p && !_progress.Advance(p.TaskId, p.UnitId, p.MetricId, p.Version);
            if (seen) fresh ??= [.. events.Take(i)];
            else fresh?.Add(events[i]);
        }
        return fresh ?? events;
    }

    private EventStreamPosition Position => new(PlanId, _state.State.Epoch!, _next - 1);

    /// <summary>Stores the numbers up to <paramref name="needed"/> and a block beyond as reserved, before any is given out.</summary>
    private async Task ReserveAfter(long needed)
    {
        _state.State.Reserved = needed + Block;
        await _state.WriteStateAsync();
    }
}

/// <summary>The stored part of a plan's event stream: its epoch and the highest number reserved.</summary>
public sealed class PlanEventsState
{
    public string? Epoch { get; set; }

    public long Reserved { get; set; }

    /// <summary>Set by an activation whose silo shut down; taken (and cleared) by the next.</summary>
    public EventsHandoff? Handoff { get; set; }
}

/// <summary>Where numbering stood when an activation left cleanly, and its latest events.</summary>
public sealed record EventsHandoff(long Next, IReadOnlyList<HandedOverEvent> Events);

/// <summary>One event handed to the next activation: its kind, JSON and time.</summary>
public sealed record HandedOverEvent(PlanEventKind Kind, string Data, DateTimeOffset At);
