using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Aggregates;

/// <summary>
/// The common life of an aggregate: it holds no durable state of its own. On activation it rebuilds itself from the
/// owners' facts, read where the owners keep them, the report log (or, where <see cref="RebuildsOnActivation"/> says so, at the first call that needs them),
/// takes pushed updates by version, and, while it is in use, reconciles with the log every
/// <see cref="AggregateOptions.ReconcileInterval"/> so that a lost one-way message is healed. The reconcile timer runs
/// only after pushes or reads: an aggregate nobody touched for an interval drops it, pulls nothing, and is collected
/// when idle like any grain (the timer never keeps it active).
/// </summary>
public abstract class AggregateGrain(PlanCatalog catalog, IOptions<AggregateOptions> options) : Grain, IProgressAggregate
{
    protected FactLedger Ledger { get; } = new();

    protected PlanIndex Plan { get; private set; } = null!;

    /// <summary>The unit this aggregate is for (street, department, project or leader id; empty for the plan).</summary>
    protected string UnitId { get; private set; } = "";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var (planId, unitId) = key.Contains('/') ? GrainKeys.Parse(key) : (key, "");
        Plan = catalog.Get(planId);
        UnitId = unitId;
        await OnPlanLoaded();
        if (RebuildsOnActivation) await Reconcile();
    }

    /// <summary>Whether activation rebuilds from the owners at once (else the first call that needs the facts does).</summary>
    protected virtual bool RebuildsOnActivation => true;

    private bool _built;
    private bool _touched;
    private IGrainTimer? _reconciler;

    /// <summary>Notes use: the reconcile timer runs (again) until an interval passes without any.</summary>
    private void Touch()
    {
        _touched = true;
        if (_reconciler is not null) return;
        var interval = options.Value.ReconcileInterval;
        _reconciler = this.RegisterGrainTimer(ReconcileIfUsed, new GrainTimerCreationOptions(interval, interval) { Interleave = false });
    }

    private async Task ReconcileIfUsed(CancellationToken cancellationToken)
    {
        if (!_touched)
        {
            _reconciler?.Dispose();
            _reconciler = null;
            return;
        }
        _touched = false;
        await Reconcile();
    }

    private Task EnsureBuilt() => _built ? Task.CompletedTask : Reconcile();

    public async Task Apply(IReadOnlyList<FactUpdate> facts)
    {
        Touch();
        await ApplyCore(facts);
    }

    private async Task ApplyCore(IReadOnlyList<FactUpdate> facts)
    {
        var changed = Absorb(facts);
        if (changed.Count > 0) await OnChanged(changed);
    }

    /// <summary>Takes facts into the ledger by version and wakes the readers they satisfy; answers those that changed it.</summary>
    protected IReadOnlyList<FactUpdate> Absorb(IReadOnlyList<FactUpdate> facts)
    {
        var changed = facts.Where(f => Accepts(f) && Ledger.Apply(f.Key(), f.ToFact())).ToList();
        if (changed.Count > 0) ReleaseWaiters();
        return changed;
    }

    /// <summary>Readers waiting for a version of a metric (read-your-writes); few, short-lived, released by Apply.</summary>
    private readonly List<(AssignmentKey Key, long Version, TaskCompletionSource Done)> _waiters = [];

    public async Task<bool> Includes(string taskId, string unitId, string metricId, long version, TimeSpan wait)
    {
        Touch();
        await EnsureBuilt();
        var key = new AssignmentKey(taskId, unitId, metricId);
        if (!Accepts(new FactUpdate(taskId, unitId, metricId, 0, version, null, null, null))) return true;
        if ((Ledger.Find(key)?.Version ?? 0) >= version) return true;
        var waiter = (key, version, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _waiters.Add(waiter);
        try
        {
            await waiter.Item3.Task.WaitAsync(wait);
            return true;
        }
        catch (TimeoutException)
        {
            return (Ledger.Find(key)?.Version ?? 0) >= version;
        }
        finally
        {
            _waiters.Remove(waiter);
        }
    }

    private void ReleaseWaiters()
    {
        foreach (var (key, version, done) in _waiters)
            if ((Ledger.Find(key)?.Version ?? 0) >= version) done.TrySetResult();
    }

    public async Task<IReadOnlyList<FactUpdate>> GetFacts()
    {
        Touch();
        await EnsureBuilt();
        return Ledger.ToUpdates();
    }

    /// <summary>Identifies this activation: a revision number means nothing across activations.</summary>
    private readonly Guid _epoch = Guid.NewGuid();

    public async Task<FactsSnapshot> GetSnapshot(Guid epoch, long revision)
    {
        Touch();
        await EnsureBuilt();
        return epoch == _epoch && revision == Ledger.Revision
            ? new FactsSnapshot(_epoch, revision, null)
            : new FactsSnapshot(_epoch, Ledger.Revision, Ledger.ToUpdates());
    }

    public async Task Reconcile()
    {
        var pulled = await Task.WhenAll(Sources());
        _built = true;
        await ApplyCore(pulled.SelectMany(f => f).ToList());
    }

    /// <summary>Awaits this silo's outboxes for the plan: what this aggregate passed on has been applied.</summary>
    public Task Settle() => Routing.Settling.SettleSilo(ServiceProvider, Plan.Id);

    /// <summary>Drops this activation; the next call rebuilds it from the owners. For operators and fault tests.</summary>
    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <summary>Runs once the plan is known, before the first rebuild.</summary>
    protected virtual Task OnPlanLoaded() => Task.CompletedTask;

    /// <summary>Calls that return the facts this aggregate is built from.</summary>
    protected abstract IEnumerable<Task<IReadOnlyList<FactUpdate>>> Sources();

    /// <summary>Whether a fact belongs in this aggregate.</summary>
    protected abstract bool Accepts(FactUpdate fact);

    /// <summary>Passes changed facts on to the next level up.</summary>
    protected virtual Task OnChanged(IReadOnlyList<FactUpdate> changed) => Task.CompletedTask;

    /// <summary>
    /// The owners' facts of the given assignments as the report log holds them: the newest row of each, one indexed
    /// read. The log is where the owners keep their facts (an owner holds no state of its own and loads the same rows when
    /// it activates), so a rebuild from it equals a rebuild from the owners, without waking them: at nation scale a
    /// rebuild that woke every owner of a cold plan took 41% of the silo's CPU under reports (BENCHMARKS.md).
    /// </summary>
    protected async Task<IReadOnlyList<FactUpdate>> FromLog(ReportLog.IReportLog log, IEnumerable<AssignmentRef> assignments)
    {
        var keys = assignments.Select(a => a.Key).ToList();
        var latest = new Dictionary<AssignmentKey, ProgressFact>();
        foreach (var row in await log.ReadLatest(Plan.Id, keys))
        {
            var key = new AssignmentKey(row.TaskId, row.UnitId, row.MetricId);
            if (!latest.TryGetValue(key, out var known) || known.Version < row.Version) latest[key] = row.ToUpdate().ToFact();
        }
        // Every assignment, as its owner answers it: one never reported stands at its initial fact.
        return keys.Select(k => k.ToUpdate(latest.GetValueOrDefault(k) ?? ProgressFact.Initial)).ToList();
    }
}
