using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Minsheng.Domain.Plans;
using Minsheng.Grains.Messages;
using Minsheng.Grains.ReportLog;
using Orleans.Utilities;

namespace Minsheng.Grains.Events;

/// <summary>
/// A plan's live events in the cluster's one order (issue 20, item 2). Every event of the plan passes through this one
/// activation, which numbers it and stores it in the plan's event journal before any silo sees it: numbering goes on
/// from the journal's last number in every activation, on any silo, after a crash too, so an id <c>{epoch}-{number}</c>
/// means the same event everywhere and a client resumes from any id the journal keeps. The epoch is made once per plan
/// with its journal (a memory cluster that restarts starts a new one, so its old ids are recognised as unknown).
/// <para>
/// Every report's progress event is published once per assignment version, even when its owner died before passing
/// it on: the report log holds the report, so an event that skips versions is preceded by the missing ones read from the
/// log, and while a silo watches the plan the log's latest rows are compared with what was published (at most every
/// <see cref="SweepEvery"/>, on the silos' subscription renewals: no timer of its own).
/// </para>
/// The latest <see cref="Kept"/> events also stay here in memory, so resuming clients are mostly served without a read.
/// Silos subscribe and renew every 30 s (LiveEventSubscription); one not renewed within <see cref="ObserverLifetime"/>
/// is dropped at the next publish (its silo is gone), as Orleans' <see cref="ObserverManager{TObserver}"/> does. An
/// activation that ends tells its subscribers to subscribe again (<see cref="OnDeactivateAsync"/>), so the next one
/// has them at once.
/// </summary>
public sealed class PlanEventsGrain : Grain, IPlanEventsGrain
{
    internal static readonly TimeSpan ObserverLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Events kept in memory for resuming clients (the silos' own replay buffers default to the same).</summary>
    internal const int Kept = 4096;

    /// <summary>The most events one <see cref="ReadAfter"/> answers (a client further behind reads on from there).</summary>
    internal const int ReadLimit = 4096;

    /// <summary>Events the journal keeps per plan (at least): a client further behind resyncs.</summary>
    internal const long JournalKept = 65_536;

    /// <summary>Forgotten from the journal in steps of this many events, so pruning is one statement now and then.</summary>
    internal const long PruneStep = 16_384;

    /// <summary>How often, at most, a watched plan's report log is compared with the progress events published.</summary>
    internal static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(10);

    private readonly IPlanEventJournal _journal;
    private readonly IReportLog _log;
    private readonly PlanCatalog _catalog;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ObserverManager<IPlanEventObserver> _observers;
    private readonly PlanEvent?[] _ring = new PlanEvent?[Kept];

    /// <summary>The latest version of each assignment whose progress events are all in the journal (or older than it).</summary>
    private readonly Dictionary<AssignmentKey, long> _published = [];

    private string _epoch = "";
    private long _sweepFrom;
    private long _next;
    private long _oldest;
    private DateTimeOffset _sweptAt = DateTimeOffset.MinValue;
    private long _prunedUpTo;

    public PlanEventsGrain(IPlanEventJournal journal, IReportLog log, PlanCatalog catalog, TimeProvider clock, ILogger<PlanEventsGrain> logger)
    {
        _journal = journal;
        _log = log;
        _catalog = catalog;
        _clock = clock;
        _logger = logger;
        // The grains' clock rather than the wall clock, so a test silo with a fake clock can expire an observer.
        _observers = new ObserverManager<IPlanEventObserver>(ObserverLifetime, logger)
        {
            GetDateTime = () => clock.GetUtcNow().UtcDateTime,
        };
    }

    private string PlanId => this.GetPrimaryKeyString();

    /// <summary>The plan's assignment metrics (none for a plan id not in the catalog: a test's stream of bare events).</summary>
    private IReadOnlyList<AssignmentKey> Keys => _catalog.Find(PlanId)?.AllAssignments.Select(a => a.Key).ToList() ?? [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var head = await _journal.Open(PlanId, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), await _log.LastSeq(PlanId));
        (_epoch, _sweepFrom, _next) = (head.Epoch, head.SweepFrom, head.Last + 1);
        _oldest = _next;
        var keys = Keys;
        foreach (var mark in await _journal.LatestProgress(PlanId, keys)) _published[mark.Key] = mark.Version;
        // Reports logged before the journal began have no events to recover; any logged since are checked now.
        await Sweep(keys, activating: true);
        _logger.LogDebug("The events grain of {PlanId} is active in epoch {Epoch} from number {Next}", PlanId, _epoch, _next);
    }

    /// <summary>
    /// The subscribers are known only to this activation: the next one, on whichever silo, starts with none and would
    /// send its events to nobody until each silo renewed (every 30 s). So every subscriber is told now, one-way, to
    /// subscribe again: its call waits for this activation to end and reaches the next, whose answer says where the
    /// stream stands (the silo fetches what it missed). A silo that dies with its activations cannot say goodbye; the
    /// silos learn that from membership (LiveEventSubscription) and subscribe again then.
    /// </summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        var told = 0;
        _observers.Notify(observer =>
        {
            _ = observer.SubscribeAgain(PlanId);
            told++;
        });
        _logger.LogDebug("The events grain of {PlanId} ends at number {Last} ({Reason}); {Told} subscribers are told to subscribe again",
            PlanId, _next - 1, reason, told);
        return Task.CompletedTask;
    }

    public async Task<EventStreamPosition> Subscribe(IPlanEventObserver observer)
    {
        _observers.Subscribe(observer, observer);
        var now = _clock.GetUtcNow();
        if (now - _sweptAt >= SweepEvery)
        {
            _sweptAt = now;
            await Sweep(Keys, activating: false);
        }
        return Position;
    }

    public Task Unsubscribe(IPlanEventObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public async Task Publish(IReadOnlyList<PlanEvent> events)
    {
        var entries = new List<JournalEntry>(events.Count);
        var taken = new Dictionary<AssignmentKey, long>();
        foreach (var e in events)
        {
            if (e.Kind != PlanEventKind.Progress || e.Typed<ProgressEventData>() is not { } p)
            {
                entries.Add(new JournalEntry(e, null));
                continue;
            }
            var key = new AssignmentKey(p.TaskId, p.UnitId, p.MetricId);
            var published = taken.TryGetValue(key, out var t) ? t : _published.GetValueOrDefault(key);
            if (p.Version <= published) continue; // sent again: a retry, or already recovered from the log
            if (p.Version > published + 1) entries.AddRange(await Missing(key, published, p.Version));
            entries.Add(new JournalEntry(e, new ProgressMark(key, p.Version)));
            taken[key] = p.Version;
        }
        await Store(entries);
    }

    public async Task<SequencedEvents?> ReadAfter(string epoch, long after)
    {
        var last = _next - 1;
        if (epoch != _epoch || after > last || after < 0) return null;
        if (after + 1 >= _oldest)
        {
            var count = (int)Math.Min(ReadLimit, last - after);
            var kept = new List<PlanEvent>(count);
            for (var n = after + 1; n <= after + count; n++) kept.Add(_ring[n % Kept]!);
            return new SequencedEvents(PlanId, _epoch, after + 1, kept);
        }
        var read = await _journal.ReadAfter(PlanId, after, ReadLimit);
        // Gone from the journal too (the embedded default keeps a bounded number): the client must resync.
        return read.First == after + 1 ? new SequencedEvents(PlanId, _epoch, read.First, read.Events) : null;
    }

    /// <summary>
    /// Numbers the entries, stores them (before any silo sees them: a crash cannot show an event that the next activation
    /// numbers differently), then keeps and sends them. A failed store drops this activation, whose numbers may be stale
    /// (the store may have happened, or another activation numbers the plan); the caller retries against the next.
    /// </summary>
    private async Task Store(List<JournalEntry> entries)
    {
        if (entries.Count == 0) return;
        try
        {
            await _journal.Append(PlanId, _next, entries);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Storing {Count} live events of {PlanId} from number {Next} failed; this activation of its events grain stops", entries.Count, PlanId, _next);
            DeactivateOnIdle();
            throw;
        }
        var first = _next;
        var events = new PlanEvent[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            events[i] = entries[i].Event;
            _ring[_next++ % Kept] = entries[i].Event;
            if (entries[i].Progress is { } mark && mark.Version > _published.GetValueOrDefault(mark.Key)) _published[mark.Key] = mark.Version;
        }
        _oldest = Math.Max(_oldest, _next - Kept);
        await Prune();
        var batch = new SequencedEvents(PlanId, _epoch, first, events);
        // OnEvents is one-way: sending returns at once, so this turn never waits for a silo; a silo that is gone costs a
        // lost message until its observer expires (ObserverManager drops expired observers here, before sending). A silo
        // that missed a batch sees the gap in the numbers and reads it back.
        _observers.Notify(observer => { _ = observer.OnEvents(batch); });
    }

    /// <summary>
    /// The progress events of an assignment's versions in (<paramref name="published"/>, <paramref name="before"/>) that
    /// were logged since the journal began and never published (their owner died first), in version order, from the log.
    /// </summary>
    private async Task<IReadOnlyList<JournalEntry>> Missing(AssignmentKey key, long published, long before)
    {
        var rows = await _log.ReadAssignment(PlanId, key.TaskId, key.UnitId, after: _sweepFrom);
        var missing = rows
            .Where(r => r.MetricId == key.MetricId && r.Version > published && r.Version < before)
            .OrderBy(r => r.Version)
            .Select(r => PlanEvents.ProgressOf(r) is { } e ? new JournalEntry(e, new ProgressMark(key, r.Version)) : null)
            .OfType<JournalEntry>()
            .ToList();
        if (missing.Count > 0)
            _logger.LogInformation("Recovered {Count} progress events of {PlanId} {Task}/{Unit} from the report log (versions {From}..{To})",
                missing.Count, PlanId, key.TaskId, key.UnitId, missing[0].Progress!.Value.Version, missing[^1].Progress!.Value.Version);
        return missing;
    }

    /// <summary>
    /// Compares each assignment's latest logged version with the latest published, and publishes what is missing from the
    /// log. A latest row from before the journal began counts as published (it has no event to recover).
    /// </summary>
    private async Task Sweep(IReadOnlyList<AssignmentKey> keys, bool activating)
    {
        if (keys.Count == 0) return;
        var entries = new List<JournalEntry>();
        foreach (var row in await _log.ReadLatest(PlanId, keys))
        {
            var key = new AssignmentKey(row.TaskId, row.UnitId, row.MetricId);
            var published = _published.GetValueOrDefault(key);
            if (row.Version <= published) continue;
            if (row.Seq > _sweepFrom) entries.AddRange(await Missing(key, published, row.Version + 1));
            // Every version up to the latest is now published or has no event (a schedule change, a row before the journal).
            _published[key] = row.Version;
        }
        if (entries.Count == 0) return;
        if (!activating) _logger.LogInformation("Sweep of {PlanId}: {Count} progress events were missing and are published", PlanId, entries.Count);
        await Store(entries);
    }

    /// <summary>
    /// Keeps the journal to the latest <see cref="JournalKept"/> to <see cref="JournalKept"/> + <see cref="PruneStep"/>
    /// events. The log position of the moment becomes where the sweep starts: versions published before it may no longer
    /// be in the journal, so they must not look missing. A failed prune is tried again at the next step.
    /// </summary>
    private async Task Prune()
    {
        var upTo = (_next - 1 - JournalKept) / PruneStep * PruneStep;
        if (upTo <= _prunedUpTo) return;
        try
        {
            var sweepFrom = await _log.LastSeq(PlanId);
            await _journal.Prune(PlanId, upTo, sweepFrom);
            (_prunedUpTo, _sweepFrom) = (upTo, Math.Max(_sweepFrom, sweepFrom));
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Pruning the event journal of {PlanId} up to {UpTo} failed; tried again later", PlanId, upTo);
        }
    }

    private EventStreamPosition Position => new(PlanId, _epoch, _next - 1);
}
