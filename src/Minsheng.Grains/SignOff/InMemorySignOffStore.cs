using Minsheng.Domain.SignOff;
using Minsheng.Grains.ReportLog;

namespace Minsheng.Grains.SignOff;

/// <summary>
/// The sign-off store of the embedded default: rows in memory per plan, in filing order. Like the PostgreSQL table it
/// asks the report log whether a row is counted, so both answer alike after an approval whose marking was lost.
/// </summary>
public sealed class InMemorySignOffStore(IReportLog log) : ISignOffStore
{
    private readonly Dictionary<string, Plan> _plans = new(StringComparer.Ordinal);

    private sealed class Plan
    {
        public readonly Dictionary<string, (string Owner, PendingReport Item)> Rows = new(StringComparer.Ordinal);
        public readonly List<string> Order = [];
    }

    private Plan Of(string planId)
    {
        lock (_plans)
        {
            if (!_plans.TryGetValue(planId, out var plan)) _plans[planId] = plan = new Plan();
            return plan;
        }
    }

    public Task<PendingReport?> File(string planId, string ownerId, PendingReport item)
    {
        var plan = Of(planId);
        lock (plan)
        {
            if (plan.Rows.TryGetValue(item.ReportId, out var existing)) return Task.FromResult<PendingReport?>(existing.Item);
            plan.Rows[item.ReportId] = (ownerId, item with { State = SignOffState.Pending });
            plan.Order.Add(item.ReportId);
            return Task.FromResult<PendingReport?>(null);
        }
    }

    public async Task<PendingReport?> Find(string planId, string reportId)
    {
        var plan = Of(planId);
        PendingReport? item;
        lock (plan) item = plan.Rows.TryGetValue(reportId, out var row) ? row.Item : null;
        return item is null ? null : await AsLogSays(planId, item);
    }

    public Task<IReadOnlyList<PendingReport>> Waiting(string planId, string ownerId)
    {
        var plan = Of(planId);
        lock (plan)
            return Task.FromResult<IReadOnlyList<PendingReport>>(plan.Order.Select(id => plan.Rows[id])
                .Where(r => r.Owner == ownerId && r.Item.State == SignOffState.Pending).Select(r => r.Item).ToList());
    }

    public async Task<bool> Reject(string planId, string reportId, string reviewerRole, string reviewer, string reason, DateTimeOffset at)
    {
        var counted = await log.FindReport(planId, reportId) is not null;
        var plan = Of(planId);
        lock (plan)
        {
            if (counted || !plan.Rows.TryGetValue(reportId, out var row) || row.Item.State != SignOffState.Pending) return false;
            plan.Rows[reportId] = (row.Owner, SignOffRules.Reject(row.Item, reviewer, reason, at, reviewerRole));
            return true;
        }
    }

    public Task MarkApproved(string planId, string reportId, string reviewerRole, string reviewer, DateTimeOffset at)
    {
        var plan = Of(planId);
        lock (plan)
        {
            if (plan.Rows.TryGetValue(reportId, out var row) && row.Item.State == SignOffState.Pending)
                plan.Rows[reportId] = (row.Owner, SignOffRules.Approve(row.Item, reviewer, at, reviewerRole));
        }
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<PendingReport>> List(string planId, SignOffQuery query)
    {
        var plan = Of(planId);
        List<PendingReport> rows;
        lock (plan)
            rows = plan.Order.Select(id => plan.Rows[id].Item)
                .Where(i => (query.UnitId is null || i.Request.UnitId == query.UnitId) && (query.TaskId is null || i.Request.TaskId == query.TaskId))
                .ToList();
        var answer = new List<PendingReport>();
        foreach (var row in rows)
        {
            var item = await AsLogSays(planId, row);
            if (query.State is null || item.State == query.State) answer.Add(item);
            if (answer.Count >= query.Limit) break;
        }
        return answer;
    }

    /// <summary>A row still marked pending that the log holds is approved: the log's row says by whom and when.</summary>
    private async Task<PendingReport> AsLogSays(string planId, PendingReport item) =>
        item.State == SignOffState.Pending && await log.FindReport(planId, item.ReportId) is { } counted
            ? SignOffRules.Approve(item, counted.SignOff?.Reviewer ?? counted.Person, counted.At, counted.SignOff?.ReviewerRole ?? counted.Role)
            : item;
}
