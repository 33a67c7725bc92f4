using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Hosting.Auth;

namespace Minsheng.Benchmarks;

/// <summary>A plan of a scale run, with its region and streets.</summary>
internal sealed class ScalePlan(PlanIndex index)
{
    public PlanIndex Index { get; } = index;

    public string Id => Index.Id;

    public string? RegionId => Index.Plan.Region?.Id;

    public string[] Streets { get; } = index.Plan.Streets.Select(s => s.Id).ToArray();

    public string ReportsPath { get; } = $"api/v1/plans/{Uri.EscapeDataString(index.Id)}/reports";

    public string RollupPath { get; } = $"api/v1/plans/{Uri.EscapeDataString(index.Id)}/rollup";
}

/// <summary>The plans of a scale run, their regions and the bearer tokens of their owners (one signing key per run).</summary>
internal sealed class ScaleWorld
{
    private readonly byte[] _key;
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public ScaleWorld(IEnumerable<Plan> plans, string keyText)
    {
        KeyText = keyText;
        _key = Encoding.UTF8.GetBytes(keyText);
        Plans = plans.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => new ScalePlan(new PlanIndex(p))).ToList();
        Regions = Plans.Where(p => p.RegionId is not null).GroupBy(p => p.RegionId!)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ScalePlan>)g.ToList(), StringComparer.Ordinal);
        RegionIds = Regions.Keys.Order(StringComparer.Ordinal).ToArray();
        Office = Bearer("office", null);
    }

    public string KeyText { get; }

    public IReadOnlyList<ScalePlan> Plans { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<ScalePlan>> Regions { get; }

    public string[] RegionIds { get; }

    public string Office { get; }

    public int Assignments => Plans.Sum(p => p.Index.AllAssignments.Count);

    /// <summary>"Bearer …" for a role; unit roles name the plan's district (tokens minted here, as the CLI's token command does).</summary>
    public string Bearer(string role, string? district)
    {
        var cacheKey = role + "|" + district;
        lock (_tokens)
        {
            if (_tokens.TryGetValue(cacheKey, out var token)) return token;
            return _tokens[cacheKey] = "Bearer " + TokenIssuer.Issue(_key, role, TimeSpan.FromHours(6), _now, district: district);
        }
    }

    /// <summary>One system's view of every assignment, starting at <paramref name="initial"/>'s counts (0 where none).</summary>
    public ScaleState NewState(IReadOnlyDictionary<(string Plan, AssignmentKey Key), long>? initial)
    {
        var byPlan = new Dictionary<string, List<Cell>>(StringComparer.Ordinal);
        foreach (var plan in Plans)
        {
            var cells = new List<Cell>(plan.Index.AllAssignments.Count);
            foreach (var a in plan.Index.AllAssignments)
            {
                var role = a.Assignment.UnitId == PlanUnits.District ? $"department:{a.Task.LeadDepartment}" : $"street:{a.Assignment.UnitId}";
                var start = initial?.GetValueOrDefault((plan.Id, a.Key)) ?? 0;
                cells.Add(new Cell(plan, a, Bearer(role, plan.Index.Plan.DistrictId)) { Acknowledged = start, LastSent = start });
            }
            byPlan[plan.Id] = cells;
        }
        return new ScaleState(this, byPlan);
    }
}

/// <summary>One assignment as one system saw it: the highest count acknowledged, the last sent, a report whose outcome is unknown.</summary>
internal sealed class Cell(ScalePlan plan, AssignmentRef reference, string bearer)
{
    public ScalePlan Plan { get; } = plan;

    public AssignmentRef Ref { get; } = reference;

    public string Bearer { get; } = bearer;

    public long Target => Ref.Assignment.Target;

    public long Ceiling => Target * ReportLimits.Default.MaxMultipleOfTarget;

    public long Acknowledged { get; set; }

    public long LastSent { get; set; }

    /// <summary>A report that timed out or failed with a 5xx: it may have been accepted; sent again (same reportId) before the check.</summary>
    public byte[]? Uncertain { get; set; }

    public long UncertainCount { get; set; }

    public byte[] Body(string reportId, long completed) => Encoding.UTF8.GetBytes(
        $"{{\"reportId\":\"{reportId}\",\"taskId\":\"{Ref.Task.Id}\",\"unitId\":\"{Ref.Assignment.UnitId}\",\"metricId\":\"{Ref.Assignment.MetricId}\",\"completed\":{completed}}}");
}

/// <summary>Every assignment of every plan as one system (memory silo, PostgreSQL silo, plain design) saw it.</summary>
internal sealed class ScaleState(ScaleWorld world, Dictionary<string, List<Cell>> byPlan)
{
    public ScaleWorld World { get; } = world;

    public IReadOnlyDictionary<string, List<Cell>> ByPlan { get; } = byPlan;

    public IEnumerable<Cell> All => ByPlan.Values.SelectMany(c => c);

    public ExpectedPlan Expect(ScalePlan plan) => ExactRollup.Of(plan.Index, ByPlan[plan.Id].ToDictionary(c => c.Ref.Key, c => c.Acknowledged));
}

/// <summary>An exact non-negative rational, written here independently of the service's Fraction.</summary>
internal readonly record struct Q(BigInteger N, BigInteger D)
{
    public static Q Zero => new(0, 1);

    public Q Plus(Q o)
    {
        var n = N * o.D + o.N * D;
        var d = D * o.D;
        var g = BigInteger.GreatestCommonDivisor(n, d);
        return g.IsZero || g.IsOne ? new Q(n, d) : new Q(n / g, d / g);
    }

    public Q Over(int count) => count == 0 ? Zero : new Q(N, D * count);

    public int CompareTo(Q o) => (N * o.D).CompareTo(o.N * D);

    /// <summary>Rounded half away from zero to 6 decimals, as the API shows ratios.</summary>
    public decimal Rounded()
    {
        var scaled = (N * 2_000_000 + D) / (2 * D);
        return (decimal)scaled / 1_000_000m;
    }

    public static Q Mean(IEnumerable<Q> values)
    {
        var sum = Zero;
        var n = 0;
        foreach (var v in values)
        {
            sum = sum.Plus(v);
            n++;
        }
        return sum.Over(n);
    }
}

/// <summary>What a plan's rollup must show, computed by the benchmark from what it posted.</summary>
internal sealed record ExpectedPlan(
    Q Ratio,
    IReadOnlyDictionary<string, decimal> Projects,
    IReadOnlyDictionary<string, decimal> Tasks,
    IReadOnlyDictionary<(string Task, string Metric), (long Target, long Completed, decimal Ratio)> Metrics);

/// <summary>
/// The contract's ratios (docs/api.md "Rollups"), from the plan and the counts alone: a task metric is Σ min(completed,
/// target) / Σ target over its assignments; a task the mean of its metrics; a project the mean of its tasks; the plan
/// the mean of its projects.
/// </summary>
internal static class ExactRollup
{
    public static ExpectedPlan Of(PlanIndex plan, IReadOnlyDictionary<AssignmentKey, long> completed)
    {
        var metrics = new Dictionary<(string, string), (long, long, decimal)>();
        var tasks = new Dictionary<string, Q>(StringComparer.Ordinal);
        foreach (var task in plan.Plan.Tasks)
        {
            var ratios = new List<Q>();
            foreach (var metric in task.Metrics)
            {
                long capped = 0, target = 0, sum = 0;
                foreach (var a in task.Assignments.Where(a => a.MetricId == metric.Id))
                {
                    var c = completed.GetValueOrDefault(new AssignmentKey(task.Id, a.UnitId, a.MetricId));
                    capped += Math.Min(c, a.Target);
                    target += a.Target;
                    sum += c;
                }
                var q = target == 0 ? Q.Zero : new Q(capped, target);
                ratios.Add(q);
                metrics[(task.Id, metric.Id)] = (target, sum, q.Rounded());
            }
            tasks[task.Id] = Q.Mean(ratios);
        }
        var projects = plan.Plan.Projects.ToDictionary(p => p.Id, p => Q.Mean(p.Tasks.Select(t => tasks[t])), StringComparer.Ordinal);
        var ratio = Q.Mean(plan.Plan.Projects.Select(p => projects[p.Id]));
        return new ExpectedPlan(ratio, projects.ToDictionary(p => p.Key, p => p.Value.Rounded()), tasks.ToDictionary(t => t.Key, t => t.Value.Rounded()), metrics);
    }

    /// <summary>Differences between a plan rollup's JSON and the expectation (empty when exact).</summary>
    public static List<string> Compare(JsonElement root, ExpectedPlan expected)
    {
        var differences = new List<string>();
        var ratio = root.GetProperty("ratio").GetDecimal();
        if (ratio != expected.Ratio.Rounded()) differences.Add($"plan ratio {ratio} ≠ {expected.Ratio.Rounded()}");
        var seenMetrics = 0;
        foreach (var project in root.GetProperty("projects").EnumerateArray())
        {
            var pid = project.GetProperty("id").GetString()!;
            var pr = project.GetProperty("ratio").GetDecimal();
            if (!expected.Projects.TryGetValue(pid, out var pe) || pe != pr) differences.Add($"project {pid} ratio {pr} ≠ {pe}");
            foreach (var task in project.GetProperty("tasks").EnumerateArray())
            {
                var tid = task.GetProperty("id").GetString()!;
                var tr = task.GetProperty("ratio").GetDecimal();
                if (!expected.Tasks.TryGetValue(tid, out var te) || te != tr) differences.Add($"task {tid} ratio {tr} ≠ {te}");
                foreach (var metric in task.GetProperty("metrics").EnumerateArray())
                {
                    seenMetrics++;
                    var key = (tid, metric.GetProperty("id").GetString()!);
                    var got = (metric.GetProperty("target").GetInt64(), metric.GetProperty("completed").GetInt64(), metric.GetProperty("ratio").GetDecimal());
                    if (!expected.Metrics.TryGetValue(key, out var want) || want != got)
                        differences.Add($"task {tid} metric {key.Item2}: (target, completed, ratio) {got} ≠ {want}");
                }
            }
        }
        if (seenMetrics != expected.Metrics.Count) differences.Add($"{seenMetrics} task metrics in the rollup, {expected.Metrics.Count} in the plan");
        return differences;
    }
}

/// <summary>
/// New reports from many reporters spread over every plan: each worker owns every n-th assignment of a shuffled list
/// (so consecutive reports of a worker go to different plans) and sends each assignment's counts one higher than its
/// last, one at a time; a report whose answer never came (timeout, 5xx) is kept and sent again before the check.
/// </summary>
internal sealed class ScaleReportWorkload : IWorkload
{
    private readonly List<Cell>[] _shares;
    private readonly int[] _cursor;
    private readonly (Cell Cell, long Completed, byte[] Body)?[] _pending;
    private readonly string _run;
    private long _sequence;

    public ScaleReportWorkload(IEnumerable<Cell> cells, int workers, string run, int seed)
    {
        _run = run;
        var all = cells.ToArray();
        new Random(seed).Shuffle(all);
        _shares = Enumerable.Range(0, workers).Select(_ => new List<Cell>()).ToArray();
        for (var i = 0; i < all.Length; i++) _shares[i % workers].Add(all[i]);
        _cursor = new int[workers];
        _pending = new (Cell, long, byte[])?[workers];
    }

    public HttpRequestMessage? Next(int worker)
    {
        if (_pending[worker] is { } lost) MarkUncertain(lost.Cell, lost.Body);
        _pending[worker] = null;
        var share = _shares[worker];
        for (var tries = 0; tries < share.Count; tries++)
        {
            var cell = share[_cursor[worker]++ % share.Count];
            if (cell.LastSent >= cell.Ceiling) continue;
            var completed = ++cell.LastSent;
            var body = cell.Body($"scale-{_run}-{Interlocked.Increment(ref _sequence)}", completed);
            _pending[worker] = (cell, completed, body);
            return ReportWorkload.Post(cell.Plan.ReportsPath, cell.Bearer, body);
        }
        return null;
    }

    public bool Complete(int worker, HttpStatusCode status, byte[] body)
    {
        if (_pending[worker] is not { } pending) return false;
        _pending[worker] = null;
        if (status == HttpStatusCode.Created)
        {
            pending.Cell.Acknowledged = Math.Max(pending.Cell.Acknowledged, pending.Completed);
            return true;
        }
        if ((int)status >= 500) MarkUncertain(pending.Cell, pending.Body);
        return false;
    }

    /// <summary>Reports whose outcome is still unknown after the phase (their worker stopped while waiting).</summary>
    public void Finish()
    {
        for (var w = 0; w < _pending.Length; w++)
            if (_pending[w] is { } lost) MarkUncertain(lost.Cell, lost.Body);
    }

    private static void MarkUncertain(Cell cell, byte[] body)
    {
        lock (cell)
        {
            cell.Uncertain = body;
            cell.UncertainCount++;
        }
    }
}

/// <summary>A GET whose path each worker draws at random (a plan, a street of a plan, a region).</summary>
internal sealed class RandomGetWorkload(Func<Random, string> path, string bearer, int workers, int seed) : IWorkload
{
    private readonly Random[] _random = Enumerable.Range(0, workers).Select(w => new Random(seed * 1_000 + w)).ToArray();

    public HttpRequestMessage? Next(int worker)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path(_random[worker]));
        request.Headers.TryAddWithoutValidation("Authorization", bearer);
        return request;
    }

    public bool Complete(int worker, HttpStatusCode status, byte[] body) => status == HttpStatusCode.OK;
}
