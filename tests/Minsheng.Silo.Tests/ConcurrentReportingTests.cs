using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Grains;
using Minsheng.Silo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Minsheng.Silo.Tests;

/// <summary>
/// Every assignment of gongshu-2024 reported concurrently through the HTTP API, in shuffled order, with duplicates,
/// stale retries and refusals mixed in, and the aggregate grains deactivated mid-stream: every rollup must end equal
/// to the numbers worked out independently.
/// </summary>
public sealed class ConcurrentReportingTests(ConcurrentReportingTests.Host host, ITestOutputHelper output) : IClassFixture<ConcurrentReportingTests.Host>
{
    public sealed class Host : SiloHost;

    private const string Plan = "/api/v1/plans/gongshu-2024";

    /// <summary>
    /// Fixed and printed: the work, its order, and each assignment's own draws (its retries and refusals) follow from it.
    /// Each assignment draws from a seed of its own, so how the workers interleave cannot change what any one of them does.
    /// </summary>
    private const int Seed = 2024;

    private sealed record Step(string ReportId, long Completed);

    private sealed record Work(string TaskId, string UnitId, string MetricId, long Target, string Role, List<Step> Steps, int Seed);

    [Fact]
    public async Task All_rollups_end_exact_under_concurrency_retries_reordering_and_aggregate_deactivation()
    {
        var office = host.As("office");
        var plan = await office.GetOk(Plan);
        output.WriteLine($"seed {Seed}");
        var random = new Random(Seed);
        var work = BuildWork(plan, random);
        var clients = new ConcurrentDictionary<string, HttpClient>();
        HttpClient As(string role) => clients.GetOrAdd(role, host.As);

        var answers = new ConcurrentDictionary<string, string>();
        var finished = 0;
        var deactivated = 0;
        await Parallel.ForEachAsync(work.OrderBy(_ => random.Next()).ToList(), new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (w, _) =>
        {
            var local = new Random(w.Seed);
            var client = As(w.Role);
            for (var i = 0; i < w.Steps.Count; i++)
            {
                var step = w.Steps[i];
                var body = new { reportId = step.ReportId, taskId = w.TaskId, unitId = w.UnitId, metricId = w.MetricId, completed = step.Completed };
                var (status, answer) = await client.PostJson($"{Plan}/reports", body);
                Assert.True(status == 201, $"{step.ReportId}: {status} {answer}");
                answers[step.ReportId] = answer.Canonical();

                if (local.NextDouble() < 0.3)
                {
                    // A duplicate of this report, or a stale retry of an earlier one: same answer, nothing changes.
                    var old = w.Steps[local.Next(i + 1)];
                    var (retryStatus, retry) = await client.PostJson($"{Plan}/reports",
                        new { reportId = old.ReportId, taskId = w.TaskId, unitId = w.UnitId, metricId = w.MetricId, completed = old.Completed });
                    Assert.Equal(200, retryStatus);
                    Assert.Equal(answers[old.ReportId], retry.Canonical());
                }
                if (step.Completed > 0 && local.NextDouble() < 0.1)
                {
                    // A lower number without a correction is refused.
                    var (lowerStatus, _) = await client.PostJson($"{Plan}/reports",
                        new { reportId = step.ReportId + "-low", taskId = w.TaskId, unitId = w.UnitId, metricId = w.MetricId, completed = step.Completed - 1 });
                    Assert.Equal(422, lowerStatus);
                }
            }
            if (Interlocked.Increment(ref finished) == work.Count / 2 && Interlocked.Exchange(ref deactivated, 1) == 0)
                await DeactivateAggregates(plan);
        });

        var completed = work.ToDictionary(w => (w.TaskId, w.UnitId, w.MetricId), w => w.Steps[^1].Completed);
        var expected = new ExpectedRollup(plan, completed);

        // Aggregates hear of reports through the outboxes: the settled signal says every accepted report has reached them.
        await host.Settle();
        var rollup = await office.GetOk($"{Plan}/rollup");
        AssertPlanRollup(rollup, expected, work);
        await AssertUnitViews(office, plan, expected, completed);
    }

    private static List<Work> BuildWork(JsonNode plan, Random random)
    {
        var list = new List<Work>();
        foreach (var task in plan["tasks"]!.AsArray())
            foreach (var a in task!["assignments"]!.AsArray())
            {
                var target = a!["target"]!.GetValue<long>();
                var unit = a["unitId"].Str();
                var role = unit == "district" ? $"department:{task["leadDepartment"].Str()}" : $"street:{unit}";
                // Zero, partial, exact and over-completion all occur.
                var final = random.Next(5) switch { 0 => 0, 1 => target, 2 => target + random.Next(1, 3), _ => (long)random.Next(0, (int)target + 1) };
                var steps = new List<Step>();
                var count = random.Next(1, 5);
                for (var k = 1; k <= count; k++)
                    steps.Add(new Step($"{task["id"].Str()}-{unit}-{a["metricId"].Str()}-{k}", k == count ? final : final * k / count));
                list.Add(new Work(task["id"].Str(), unit, a["metricId"].Str(), target, role, steps, random.Next()));
            }
        return list;
    }

    private async Task DeactivateAggregates(JsonNode plan)
    {
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var calls = new List<Task> { grains.GetGrain<IPlanGrain>("gongshu-2024").Deactivate() };
        calls.AddRange(plan["projects"]!.AsArray().Select(p => grains.GetGrain<IProjectGrain>(GrainKeys.Of("gongshu-2024", p!["id"].Str())).Deactivate()));
        calls.AddRange(plan["departments"]!.AsArray().Select(d => grains.GetGrain<IDepartmentGrain>(GrainKeys.Of("gongshu-2024", d!["id"].Str())).Deactivate()));
        calls.AddRange(plan["leaders"]!.AsArray().Select(l => grains.GetGrain<ILeaderGrain>(GrainKeys.Of("gongshu-2024", l!["id"].Str())).Deactivate()));
        await Task.WhenAll(calls);
    }

    private static void AssertPlanRollup(JsonNode rollup, ExpectedRollup expected, List<Work> work)
    {
        Assert.Equal(expected.Plan, rollup["ratio"].Dec());
        var done = work.Count(w => w.Steps[^1].Completed >= w.Target);
        Assert.Equal(done, rollup["counts"]!["done"]!.GetValue<int>());
        foreach (var project in rollup["projects"]!.AsArray())
        {
            Assert.Equal(expected.Project(project!["id"].Str()), project["ratio"].Dec());
            foreach (var task in project["tasks"]!.AsArray())
            {
                Assert.Equal(expected.Task(task!["id"].Str()), task["ratio"].Dec());
                foreach (var metric in task["metrics"]!.AsArray())
                {
                    Assert.Equal(expected.Metric(task["id"].Str(), metric!["id"].Str()), metric["ratio"].Dec());
                    Assert.Equal(expected.MetricCompleted(task["id"].Str(), metric["id"].Str()), metric["completed"]!.GetValue<long>());
                }
            }
        }
    }

    private static async Task AssertUnitViews(HttpClient client, JsonNode plan, ExpectedRollup expected,
        Dictionary<(string, string, string), long> completed)
    {
        foreach (var s in plan["streets"]!.AsArray())
        {
            var id = s!["id"].Str();
            var view = await client.GetOk($"{Plan}/streets/{id}");
            Assert.Equal(expected.Street(id), view["ratio"].Dec());
            foreach (var a in view["assignments"]!.AsArray())
                Assert.Equal(completed[(a!["taskId"].Str(), a["unitId"].Str(), a["metricId"].Str())], a["completed"]!.GetValue<long>());
        }
        foreach (var d in plan["departments"]!.AsArray())
        {
            var id = d!["id"].Str();
            var view = await client.GetOk($"{Plan}/departments/{id}");
            Assert.Equal(expected.Department(id), view["ratio"].Dec());
        }
        foreach (var l in plan["leaders"]!.AsArray())
        {
            var id = l!["id"].Str();
            var view = await client.GetOk($"{Plan}/leaders/{id}");
            Assert.Equal(expected.Leader(id), view["ratio"].Dec());
        }
        foreach (var p in plan["projects"]!.AsArray())
        {
            var id = p!["id"].Str();
            var view = await client.GetOk($"{Plan}/projects/{id}");
            Assert.Equal(expected.Project(id), view["ratio"].Dec());
        }
    }

}
