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

    /// <summary>The highest cumulative count an answer of 201 acknowledged.</summary>
    public long Acknowledged { get; set; }

    public long Accepted { get; set; }
}

/// <summary>A report the silo acknowledged, kept so that the retry phase can send the very same request again.</summary>
internal readonly record struct SentReport(string Bearer, byte[] Body);

/// <summary>
/// New progress reports with unique reportIds. Each worker owns a fixed share of the plan's assignments and cycles
/// over them, so one assignment's reports are sent one at a time and in order: every count is the last acknowledged
/// count plus one, up to the target, then the target again (ReportRules refuses only a lower count without a
/// correction; an equal one is accepted as a new version). Counts therefore never exceed the target, well inside
/// the 10× ceiling.
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

    public ReportWorkload(string planId, IReadOnlyList<BenchAssignment> assignments, int workers, string run, int keepForRetry)
    {
        _path = $"api/v1/plans/{planId}/reports";
        _run = run;
        _keepForRetry = keepForRetry;
        Assignments = assignments;
        var used = Math.Min(workers, assignments.Count);
        _shares = Enumerable.Range(0, workers).Select(_ => new List<BenchAssignment>()).ToArray();
        for (var i = 0; i < assignments.Count; i++) _shares[i % used].Add(assignments[i]);
        _cursor = new int[workers];
        _pending = new (BenchAssignment, long, string, byte[])?[workers];
        _sent = Enumerable.Range(0, workers).Select(_ => new List<SentReport>()).ToArray();
    }

    public IReadOnlyList<BenchAssignment> Assignments { get; }

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
        if (share.Count == 0) return null;
        var assignment = share[_cursor[worker]++ % share.Count];
        var completed = Math.Min(assignment.Acknowledged + 1, assignment.Target);
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
