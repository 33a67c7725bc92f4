using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Aggregates;

/// <summary>
/// The common life of an aggregate: it holds no durable state of its own. On activation it rebuilds itself from the
/// grains that own the facts, takes pushed updates by version, and reconciles with the owners on a timer so that a
/// lost one-way message is healed within <see cref="AggregateOptions.ReconcileInterval"/>.
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
        await Reconcile();
        var interval = options.Value.ReconcileInterval;
        this.RegisterGrainTimer(_ => Reconcile(), new GrainTimerCreationOptions(interval, interval) { Interleave = false });
    }

    public async Task Apply(IReadOnlyList<FactUpdate> facts)
    {
        var changed = facts.Where(f => Accepts(f) && Ledger.Apply(f.Key(), f.ToFact())).ToList();
        if (changed.Count == 0) return;
        ReleaseWaiters();
        await OnChanged(changed);
    }

    /// <summary>Readers waiting for a version of a metric (read-your-writes); few, short-lived, released by Apply.</summary>
    private readonly List<(AssignmentKey Key, long Version, TaskCompletionSource Done)> _waiters = [];

    public async Task<bool> Includes(string taskId, string unitId, string metricId, long version, TimeSpan wait)
    {
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

    public Task<IReadOnlyList<FactUpdate>> GetFacts() => Task.FromResult(Ledger.ToUpdates());

    /// <summary>Identifies this activation: a revision number means nothing across activations.</summary>
    private readonly Guid _epoch = Guid.NewGuid();

    public Task<FactsSnapshot> GetSnapshot(Guid epoch, long revision) => Task.FromResult(
        epoch == _epoch && revision == Ledger.Revision
            ? new FactsSnapshot(_epoch, revision, null)
            : new FactsSnapshot(_epoch, Ledger.Revision, Ledger.ToUpdates()));

    public async Task Reconcile()
    {
        var pulled = await Task.WhenAll(Sources());
        await Apply(pulled.SelectMany(f => f).ToList());
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

    /// <summary>The owner grains of the given assignments, each once.</summary>
    protected IEnumerable<IAssignmentOwnerGrain> OwnersOf(IEnumerable<AssignmentRef> assignments) =>
        assignments.Select(a => PlanIndex.OwnerOf(a.Task, a.Assignment.UnitId)).Distinct().Select(OwnerGrain);

    protected IAssignmentOwnerGrain OwnerGrain(OwnerRef owner) => owner.Kind == OwnerKind.Street
        ? GrainFactory.GetGrain<IStreetGrain>(GrainKeys.Of(Plan.Id, owner.Id))
        : GrainFactory.GetGrain<IDepartmentGrain>(GrainKeys.Of(Plan.Id, owner.Id));
}
