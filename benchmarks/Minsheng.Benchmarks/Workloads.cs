using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;

namespace Minsheng.Benchmarks;

/// <summary>A GET every worker repeats, with or without a bearer token, expecting 200.</summary>
internal sealed class GetWorkload(string path, string? bearer) : IWorkload
{
    public HttpRequestMessage? Next(int worker)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null) request.Headers.TryAddWithoutValidation("Authorization", bearer);
        return request;
    }

    public bool Complete(int worker, HttpStatusCode status, byte[] body) => status == HttpStatusCode.OK;
}

/// <summary>One assignment of the plan as the benchmark reports it, with the highest count acknowledged so far.</summary>
internal sealed class BenchAssignment(AssignmentRef reference, string bearer)
{
    public AssignmentRef Ref { get; } = reference;

    /// <summary>"Bearer …" of the owner's role: street:{unitId}, or department:{leadDepartment} for the district.</summary>
    public string Bearer { get; } = bearer;

    public long Target => Ref.Assignment.Target;

    /// <summary>The plausibility ceiling the silo enforces (ReportLimits' default multiple of the target).</summary>
    public long Ceiling => Target * ReportLimits.Default.MaxMultipleOfTarget;

    /// <summary>The highest cumulative count an answer of 201 acknowledged.</summary>
    public long Acknowledged { get; set; }

    /// <summary>The highest count sent so far (acknowledged or not: a timed-out report may still have been accepted).</summary>
    public long LastSent { get; set; }

    /// <summary>New reports still possible below the ceiling, each one count higher than the last.</summary>
    public long Room => Ceiling - LastSent;

    public long Accepted { get; set; }
}

/// <summary>A report the silo acknowledged, kept so that the retry phase can send the very same request again.</summary>
internal readonly record struct SentReport(string Bearer, byte[] Body);

/// <summary>
/// New progress reports with unique reportIds. Each worker owns a fixed share of the plan's assignments (balanced by
/// room, so no worker runs dry early) and cycles over them, so one assignment's reports are sent one at a time and in
/// order: every count is one higher than the last one sent, so cumulative counts strictly increase per assignment and
/// a report is never refused as lower (422). An assignment stops at the plausibility ceiling (1000× its target by
/// default); <see cref="RanOut"/> counts workers whose whole share reached it.
/// </summary>
internal sealed class ReportWorkload : IWorkload
{
    private readonly List<BenchAssignment>[] _shares;
    private readonly int[] _cursor;
    private readonly (BenchAssignment Assignment, long Completed, string ReportId, byte[] Body)?[] _pending;
    private readonly List<SentReport>[] _sent;
    private readonly string _path;
    private readonly string _run;
    private readonly int _keepForRetry;
    private long _sequence;
    private readonly bool[] _exhausted;
    private int _ranOut;

    public ReportWorkload(string planId, IReadOnlyList<BenchAssignment> assignments, int workers, string run, int keepForRetry)
    {
        _path = $"api/v1/plans/{planId}/reports";
        _run = run;
        _keepForRetry = keepForRetry;
        Assignments = assignments;
        _shares = Enumerable.Range(0, workers).Select(_ => new List<BenchAssignment>()).ToArray();
        var shareRoom = new long[workers];
        // Largest room first onto the share with the least: with fewer assignments than workers, some workers idle.
        foreach (var a in assignments.OrderByDescending(a => a.Room))
        {
            var least = Array.IndexOf(shareRoom, shareRoom.Min());
            _shares[least].Add(a);
            shareRoom[least] += a.Room;
        }
        LeastShareRoom = shareRoom.Where(r => r > 0).DefaultIfEmpty(0).Min();
        _cursor = new int[workers];
        _exhausted = _shares.Select(s => s.Count == 0).ToArray();
        _pending = new (BenchAssignment, long, string, byte[])?[workers];
        _sent = Enumerable.Range(0, workers).Select(_ => new List<SentReport>()).ToArray();
    }

    public IReadOnlyList<BenchAssignment> Assignments { get; }

    /// <summary>The smallest room (reports below the ceilings) of a worker's share at the start.</summary>
    public long LeastShareRoom { get; }

    /// <summary>Workers that stopped because every assignment of their share reached its ceiling.</summary>
    public int RanOut => Volatile.Read(ref _ranOut);

    public long Sent => Interlocked.Read(ref _sequence);

    /// <summary>Accepted reports, round-robin over the workers so that a prefix covers every owner.</summary>
    public IReadOnlyList<SentReport> SentReports()
    {
        var all = new List<SentReport>();
        var longest = _sent.Max(s => s.Count);
        for (var i = 0; i < longest; i++)
            foreach (var share in _sent)
                if (i < share.Count) all.Add(share[i]);
        return all;
    }

    public HttpRequestMessage? Next(int worker)
    {
        var share = _shares[worker];
        share.RemoveAll(a => a.Room <= 0);
        if (share.Count == 0)
        {
            if (!_exhausted[worker])
            {
                _exhausted[worker] = true;
                Interlocked.Increment(ref _ranOut);
            }
            return null;
        }
        var assignment = share[_cursor[worker]++ % share.Count];
        var completed = assignment.LastSent + 1;
        assignment.LastSent = completed;
        var reportId = $"bench-{_run}-{Interlocked.Increment(ref _sequence)}";
        var a = assignment.Ref;
        var body = Encoding.UTF8.GetBytes(
            $"{{\"reportId\":\"{reportId}\",\"taskId\":\"{a.Task.Id}\",\"unitId\":\"{a.Assignment.UnitId}\"," +
            $"\"metricId\":\"{a.Assignment.MetricId}\",\"completed\":{completed}}}");
        _pending[worker] = (assignment, completed, reportId, body);
        return Post(_path, assignment.Bearer, body);
    }

    public bool Complete(int worker, HttpStatusCode status, byte[] body)
    {
        if (_pending[worker] is not { } pending || status != HttpStatusCode.Created) return false;
        pending.Assignment.Acknowledged = Math.Max(pending.Assignment.Acknowledged, pending.Completed);
        pending.Assignment.Accepted++;
        if (_sent[worker].Count < _keepForRetry) _sent[worker].Add(new SentReport(pending.Assignment.Bearer, pending.Body));
        _pending[worker] = null;
        return true;
    }

    /// <summary>The plan's ratio and each task metric's Σ completed, computed from the acknowledged counts alone.</summary>
    public Expected Expect(PlanIndex plan)
    {
        var facts = Assignments.ToDictionary(a => a.Ref.Key, a => new ProgressFact(a.Acknowledged, 1, null));
        var ratio = new RollupCalculator(plan, facts, DateTimeOffset.UtcNow, 0.10m).PlanRatio().ToDecimal();
        var sums = Assignments.GroupBy(a => (a.Ref.Task.Id, a.Ref.Assignment.MetricId))
            .ToDictionary(g => g.Key, g => g.Sum(a => a.Acknowledged));
        return new Expected(ratio, sums);
    }

    internal static HttpRequestMessage Post(string path, string bearer, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", bearer);
        return request;
    }
}

/// <summary>What the plan rollup must show once every acknowledged report has reached the plan grain.</summary>
internal sealed record Expected(decimal Ratio, IReadOnlyDictionary<(string TaskId, string MetricId), long> Completed);

/// <summary>Sends already-acknowledged reports again, byte for byte: the owner answers 200 with the stored answer.</summary>
internal sealed class RetryWorkload(string planId, IReadOnlyList<SentReport> reports, int workers) : IWorkload
{
    private readonly string _path = $"api/v1/plans/{planId}/reports";
    private readonly long[] _next = Enumerable.Range(0, workers).Select(w => (long)w).ToArray();

    public HttpRequestMessage? Next(int worker)
    {
        if (reports.Count == 0) return null;
        var report = reports[(int)(_next[worker] % reports.Count)];
        _next[worker] += workers;
        return ReportWorkload.Post(_path, report.Bearer, report.Body);
    }

    public bool Complete(int worker, HttpStatusCode status, byte[] body) => status == HttpStatusCode.OK;
}
