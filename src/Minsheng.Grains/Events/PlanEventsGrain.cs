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
        _next = _state.State.Reserved + 1;
        _oldest = _next;
        // A fresh block before the first number: the unused rest of the last activation's block is skipped, never reused.
        await ReserveAfter(_next - 1);
    }

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
}
