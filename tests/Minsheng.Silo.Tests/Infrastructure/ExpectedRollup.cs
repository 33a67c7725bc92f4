using System.Numerics;
using System.Text.Json.Nodes;

namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>
/// The contract's ratios worked out independently of the service's code: straight from the catalog JSON and the
/// final count of each assignment, with plain rational arithmetic, rounded to 6 decimals half away from zero.
/// </summary>
public sealed class ExpectedRollup(JsonNode plan, IReadOnlyDictionary<(string Task, string Unit, string Metric), long> completed)
{
    private readonly record struct Q(BigInteger N, BigInteger D)
    {
        public static Q operator +(Q a, Q b) => new(a.N * b.D + b.N * a.D, a.D * b.D);
        /// <summary>Six decimals, half away from zero: quotient of N·10⁶ by D, plus one when the remainder is at least half.</summary>
        public decimal Round()
        {
            var quotient = BigInteger.DivRem(N * 1_000_000, D, out var remainder);
            if (remainder * 2 >= D) quotient += 1;
            return (decimal)quotient / 1_000_000m;
        }
    }

    private static Q Mean(IEnumerable<Q> values)
    {
        var list = values.ToList();
        if (list.Count == 0) return new Q(0, 1);
        var sum = list.Aggregate(new Q(0, 1), (a, b) => a + b);
        return new Q(sum.N, sum.D * list.Count);
    }

    private IEnumerable<JsonNode> Tasks => plan["tasks"]!.AsArray().Select(t => t!);

    private long Done(JsonNode task, JsonNode a) =>
        completed.GetValueOrDefault((task["id"].Str(), a["unitId"].Str(), a["metricId"].Str()));

    private Q MetricRatio(JsonNode task, string metricId)
    {
        var rows = task["assignments"]!.AsArray().Select(a => a!).Where(a => a["metricId"].Str() == metricId).ToList();
        var capped = rows.Sum(a => Math.Min(Done(task, a), a["target"]!.GetValue<long>()));
        return new Q(capped, rows.Sum(a => a["target"]!.GetValue<long>()));
    }

    private Q TaskQ(JsonNode task) => Mean(task["metrics"]!.AsArray().Select(m => MetricRatio(task, m!["id"].Str())));

    private JsonNode TaskById(string id) => Tasks.Single(t => t["id"].Str() == id);

    private Q ProjectQ(JsonNode project) => Mean(project["tasks"]!.AsArray().Select(t => TaskQ(TaskById(t.Str()))));

    private IEnumerable<JsonNode> Projects => plan["projects"]!.AsArray().Select(p => p!);

    public decimal Plan => Mean(Projects.Select(ProjectQ)).Round();

    public decimal Project(string id) => ProjectQ(Projects.Single(p => p["id"].Str() == id)).Round();

    public decimal Task(string id) => TaskQ(TaskById(id)).Round();

    public decimal Metric(string taskId, string metricId) => MetricRatio(TaskById(taskId), metricId).Round();

    public long MetricCompleted(string taskId, string metricId)
    {
        var task = TaskById(taskId);
        return task["assignments"]!.AsArray().Where(a => a!["metricId"].Str() == metricId).Sum(a => Done(task, a!));
    }

    public decimal Street(string streetId) => Mean(Tasks
        .Where(t => t["assignments"]!.AsArray().Any(a => a!["unitId"].Str() == streetId))
        .Select(t => Mean(t["assignments"]!.AsArray().Select(a => a!).Where(a => a["unitId"].Str() == streetId)
            .Select(a => new Q(Math.Min(Done(t, a), a["target"]!.GetValue<long>()), a["target"]!.GetValue<long>()))))).Round();

    public decimal Department(string id) => Mean(Tasks.Where(t => t["leadDepartment"].Str() == id).Select(TaskQ)).Round();

    public decimal Leader(string id) => Mean(Projects.Where(p => p["leaders"]!.AsArray().Any(l => l.Str() == id)).Select(ProjectQ)).Round();
}
