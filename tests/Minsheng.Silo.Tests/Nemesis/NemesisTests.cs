using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;
using Minsheng.Silo.Tests.Postgres;
using Minsheng.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Minsheng.Silo.Tests.Nemesis;

/// <summary>
/// Issue 20, item 9: a Jepsen-style run. Three real silos behind a real nginx on one real PostgreSQL; every unit reports
/// continuously through the proxy with clients that retry as the README says; a dashboard follows the live events
/// through the proxy; a seeded nemesis SIGKILLs and SIGTERMs silos, freezes one (SIGSTOP) past the membership timeout,
/// restarts PostgreSQL, and moves the simulated clock through Mondays and month ends. Then every invariant of the
/// service is checked against PostgreSQL's own rows. Short by default (about a minute of faults); a long run:
/// <c>MINSHENG_NEMESIS_SECONDS=900 dotnet test tests/Minsheng.Silo.Tests -c Release --filter FullyQualifiedName~Nemesis</c>,
/// and <c>MINSHENG_NEMESIS_SEED</c> replays a printed schedule.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NemesisTests(ITestOutputHelper output)
{
    private const string PlanId = "gongshu-2024";
    private const string Plan = "/api/v1/plans/" + PlanId;
    private static readonly DateTimeOffset PlanStart = DateTimeOffset.Parse("2024-02-28T09:00:00+08:00", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Under_kills_stops_pauses_and_a_postgres_restart_nothing_acknowledged_is_lost_doubled_or_diverges()
    {
        var seed = Setting("MINSHENG_NEMESIS_SEED", 20261203);
        var seconds = Setting("MINSHENG_NEMESIS_SECONDS", 75);
        // Frozen for longer than the failure detector needs (probes every 2 s, 2 missed, an indirect probe, votes of the other two silos).
        var schedule = NemesisSchedule.Draw(seed, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(30), PlanStart);
        var logPath = Path.Combine(Path.GetTempPath(), $"minsheng-nemesis-{seed}.log");
        var log = new List<string>();
        void Log(string line)
        {
            lock (log) log.Add(line);
            output.WriteLine(line);
        }
        Log(schedule.Describe());

        await using var cluster = await NemesisCluster.StartAsync(Log);
        try
        {
            await Run(cluster, schedule, Log);
        }
        finally
        {
            lock (log) File.WriteAllLines(logPath, log);
            output.WriteLine($"log written to {logPath}");
            // Every silo's own output, all its lives (a restarted silo goes on in the same file), for a failed run's diagnosis.
            for (var i = 0; i < cluster.Silos.Count; i++)
            {
                var siloLog = Path.Combine(Path.GetTempPath(), $"minsheng-nemesis-{seed}-silo{i + 1}.log");
                File.WriteAllText(siloLog, cluster.Silos[i].Log);
                output.WriteLine($"silo{i + 1}'s log written to {siloLog}");
            }
        }
    }

    private async Task Run(NemesisCluster cluster, NemesisSchedule schedule, Action<string> log)
    {
        using var office = cluster.Client("office");
        var plan = await office.GetOk(Plan);
        var assignments = Assignment.Of(plan);
        var reporters = new Reporters(cluster, assignments, workers: 12);
        var follower = new StreamFollower(cluster);
        using var stopReporting = new CancellationTokenSource();
        using var stopFollowing = new CancellationTokenSource();
        var following = Task.Run(() => follower.Run(stopFollowing.Token));
        await follower.Following.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var reporting = reporters.Run(stopReporting.Token);

        var started = DateTime.UtcNow;
        var clock = Task.Run(() => MoveClock(cluster, schedule, started, log));
        foreach (var fault in schedule.Faults)
        {
            var wait = started + fault.At - DateTime.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            await cluster.Apply(fault);
        }
        var finalClock = await clock.WaitAsync(TimeSpan.FromMinutes(5));
        await Task.Delay(TimeSpan.FromSeconds(2));
        stopReporting.Cancel();
        await reporting.WaitAsync(TimeSpan.FromMinutes(3));
        await cluster.Heal();
        foreach (var silo in cluster.Silos) await silo.Settle(PlanId);
        log($"reporting stopped: {reporters.Acknowledged.Count} reports acknowledged after {reporters.Retries} retries; clock at {finalClock:yyyy-MM-dd HH:mm}");
        Assert.True(reporters.Refusals.IsEmpty, "refused reports:\n" + string.Join('\n', reporters.Refusals.Take(10)));

        // The follower has everything that will come: wait (bounded) for the last acknowledged report of each assignment.
        // A last report whose event died with its owner's silo is found in the log by the events grain's sweep, at the
        // next subscription renewal of the silo the follower is connected to (every 30 s, and at once when a silo is
        // declared dead or the events grain's activation ends).
        var lastAcked = reporters.Acknowledged.Values.GroupBy(a => a.Assignment).Select(g => g.MaxBy(a => a.Completed)!.ReportId).ToHashSet();
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(75);
        while (DateTime.UtcNow < deadline && !lastAcked.IsSubsetOf(follower.Progress.Select(p => p.ReportId))) await Task.Delay(250);
        log(lastAcked.IsSubsetOf(follower.Progress.Select(p => p.ReportId))
            ? $"follower had every assignment's last acknowledged report {waiting.Elapsed.TotalSeconds:F1} s after the silos settled"
            : $"follower still lacked some assignments' last acknowledged reports {waiting.Elapsed.TotalSeconds:F1} s after the silos settled");
        stopFollowing.Cancel();
        await following;

        await EveryAcknowledgedReportIsInTheLogOnce(cluster, reporters);
        var completed = await LatestCounts(cluster);
        await EveryCountIsItsLastHistoryLineAndEveryRollupAReplayOfTheLog(cluster, plan, assignments, completed);
        await NoCaseOpenedTwice(cluster, log);
        await EveryReviewIsPublishedOnceAndTheSameOnEverySilo(cluster, finalClock, log);
        TheFollowerSawProgressEventsOnceAndInOrder(follower, reporters, log);
    }

    /// <summary>Moves the business clock on the schedule, through the proxy, retrying each move until it is answered; the last time reached.</summary>
    private static async Task<DateTimeOffset> MoveClock(NemesisCluster cluster, NemesisSchedule schedule, DateTime started, Action<string> log)
    {
        using var office = cluster.Client("office", TimeSpan.FromSeconds(60));
        var now = PlanStart;
        foreach (var move in schedule.ClockMoves)
        {
            var wait = started + move.At - DateTime.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    // Not read as JSON: while silos come and go, nginx answers 502/504 with its own HTML page.
                    using var response = await office.PostAsJsonAsync("/api/v1/admin/clock", new { now = move.To.ToString("O", CultureInfo.InvariantCulture) });
                    var status = (int)response.StatusCode;
                    if (status == 200) break;
                    if (status is not (429 or >= 500))
                        throw new InvalidOperationException($"moving the clock to {move.To:O} answered {status}: {await response.Content.ReadAsStringAsync()}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                if (attempt % 10 == 0) log($"clock move to {move.To:yyyy-MM-dd HH:mm} still unanswered after {attempt} attempts");
                await Task.Delay(500);
            }
            now = move.To;
        }
        return now;
    }

    private static async Task EveryAcknowledgedReportIsInTheLogOnce(NemesisCluster cluster, Reporters reporters)
    {
        var rows = new Dictionary<string, long>();
        await using (var connection = new NpgsqlConnection(cluster.Unpooled))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"SELECT report_id, count(*) FROM minsheng_report_log WHERE plan_id = '{PlanId}' AND kind = 'report' GROUP BY report_id", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows[reader.GetString(0)] = reader.GetInt64(1);
        }
        var missing = reporters.Acknowledged.Keys.Where(id => !rows.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged reports are not in the log: {string.Join(", ", missing.Take(10))}");
        var doubled = rows.Where(r => r.Value != 1).ToList();
        Assert.True(doubled.Count == 0, $"reports in the log more than once: {string.Join(", ", doubled.Take(10))}");
        // Every client retried until answered, so the log holds nothing that was not acknowledged.
        var unacknowledged = rows.Keys.Where(id => !reporters.Acknowledged.ContainsKey(id)).ToList();
        Assert.True(unacknowledged.Count == 0, $"{unacknowledged.Count} rows never acknowledged: {string.Join(", ", unacknowledged.Take(10))}");
    }

    /// <summary>The latest count of every assignment metric, from the report log's own rows.</summary>
    private static async Task<Dictionary<(string Task, string Unit, string Metric), long>> LatestCounts(NemesisCluster cluster)
    {
        var latest = new Dictionary<(string, string, string), long>();
        await using var connection = new NpgsqlConnection(cluster.Unpooled);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT DISTINCT ON (task_id, unit_id, metric_id) task_id, unit_id, metric_id, completed FROM minsheng_report_log " +
            $"WHERE plan_id = '{PlanId}' AND kind = 'report' ORDER BY task_id, unit_id, metric_id, seq DESC", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) latest[(reader.GetString(0), reader.GetString(1), reader.GetString(2))] = reader.GetInt64(3);
        return latest;
    }

    private static async Task EveryCountIsItsLastHistoryLineAndEveryRollupAReplayOfTheLog(NemesisCluster cluster, JsonNode plan,
        IReadOnlyList<Assignment> assignments, Dictionary<(string Task, string Unit, string Metric), long> completed)
    {
        var expected = new ExpectedRollup(plan, completed);
        using var viaProxy = cluster.Client("office");
        foreach (var group in assignments.GroupBy(a => (a.Task, a.Unit)))
        {
            var history = (await viaProxy.GetOk($"{Plan}/assignments/{group.Key.Task}/{group.Key.Unit}/history")).AsArray();
            foreach (var a in group)
            {
                var last = history.LastOrDefault(h => h!["metricId"].Str() == a.Metric)?["completed"]!.GetValue<long>() ?? 0;
                Assert.True(last == completed.GetValueOrDefault((a.Task, a.Unit, a.Metric)), $"{a}: last history line {last}, log {completed.GetValueOrDefault((a.Task, a.Unit, a.Metric))}");
            }
        }

        for (var i = 0; i < cluster.Silos.Count; i++)
        {
            using var silo = cluster.Silos[i].As("office");
            var where = $"silo{i + 1}";
            var rollup = await silo.GetOk($"{Plan}/rollup");
            Assert.True(expected.Plan == rollup["ratio"].Dec(), $"{where}: plan ratio {rollup["ratio"]}, replay {expected.Plan}");
            foreach (var project in rollup["projects"]!.AsArray())
            {
                Assert.True(expected.Project(project!["id"].Str()) == project["ratio"].Dec(), $"{where}: project {project["id"]}");
                foreach (var task in project["tasks"]!.AsArray())
                {
                    Assert.True(expected.Task(task!["id"].Str()) == task["ratio"].Dec(), $"{where}: task {task["id"]}");
                    foreach (var metric in task["metrics"]!.AsArray())
                        Assert.True(expected.MetricCompleted(task["id"].Str(), metric!["id"].Str()) == metric["completed"]!.GetValue<long>(),
                            $"{where}: task {task["id"]} metric {metric["id"]} completed {metric["completed"]}");
                }
            }
            foreach (var street in plan["streets"]!.AsArray())
            {
                var view = await silo.GetOk($"{Plan}/streets/{street!["id"].Str()}");
                Assert.True(expected.Street(street["id"].Str()) == view["ratio"].Dec(), $"{where}: street {street["id"]} ratio {view["ratio"]}");
                foreach (var a in view["assignments"]!.AsArray())
                    Assert.True(completed.GetValueOrDefault((a!["taskId"].Str(), a["unitId"].Str(), a["metricId"].Str())) == a["completed"]!.GetValue<long>(),
                        $"{where}: {a.ToJsonString()} against the log");
            }
            foreach (var department in plan["departments"]!.AsArray())
            {
                var view = await silo.GetOk($"{Plan}/departments/{department!["id"].Str()}");
                Assert.True(expected.Department(department["id"].Str()) == view["ratio"].Dec(), $"{where}: department {department["id"]} ratio {view["ratio"]}");
            }
        }
    }

    private static async Task NoCaseOpenedTwice(NemesisCluster cluster, Action<string> log)
    {
        using var office = cluster.Client("office");
        var cases = (await office.GetOk($"{Plan}/cases")).AsArray().Select(c => c!).ToList();
        Assert.Equal(cases.Count, cases.Select(c => c["id"].Str()).Distinct().Count());
        var twice = cases.Where(c => c["kind"].Str() != "manual").GroupBy(c => (Task: c["taskId"].Str(), Unit: c["unitId"].Str(), Kind: c["kind"].Str()))
            .Where(g => g.Count() > 1).ToList();
        Assert.True(twice.Count == 0, "cases opened twice: " + string.Join("; ", twice.Select(g => $"{g.Key}: {string.Join(", ", g.Select(c => c["id"].Str()))}")));
        log($"{cases.Count} cases, none opened twice ({cases.Count(c => c["kind"].Str() == "lagging")} lagging, {cases.Count(c => c["kind"].Str() == "overdue")} overdue)");
    }

    private static async Task EveryReviewIsPublishedOnceAndTheSameOnEverySilo(NemesisCluster cluster, DateTimeOffset finalClock, Action<string> log)
    {
        var reviews = new List<(string Kind, string Key)>();
        await using (var connection = new NpgsqlConnection(cluster.Unpooled))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT kind, review_key FROM minsheng_reviews WHERE plan_id = '{PlanId}' ORDER BY kind, review_key", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) reviews.Add((reader.GetString(0), reader.GetString(1)));
        }

        // Every Monday 09:00 the clock passed has its 晾晒 (the primary key already forbids a second one).
        var mondays = new List<string>();
        for (var t = NemesisSchedule.NextCalendarMoment(PlanStart); t <= finalClock; t = NemesisSchedule.NextCalendarMoment(t))
            if (t.DayOfWeek == DayOfWeek.Monday && t.Hour == 9) mondays.Add($"{ISOWeek.GetYear(t.DateTime)}-W{ISOWeek.GetWeekOfYear(t.DateTime):00}");
        Assert.Equal(mondays, reviews.Where(r => r.Kind == "weekly").Select(r => r.Key).Order(StringComparer.Ordinal));

        foreach (var (kind, key) in reviews.Where(r => r.Kind is "weekly" or "monthly"))
        {
            var path = kind == "weekly" ? $"{Plan}/rankings/weekly/{key}" : $"{Plan}/evaluations/{key}";
            var answers = new List<string>();
            foreach (var silo in cluster.Silos)
            {
                using var client = silo.As("office");
                answers.Add((await client.GetOk(path)).Canonical());
            }
            Assert.True(answers.Distinct().Count() == 1, $"{path} differs between silos:\n{string.Join("\n", answers)}");
        }
        log($"{reviews.Count(r => r.Kind == "weekly")} weekly rankings and {reviews.Count(r => r.Kind == "monthly")} monthly evaluations, each identical on the three silos");
    }

    /// <summary>
    /// The follower saw every acknowledged report's progress event exactly once, each assignment's in order, and was
    /// never told to resync.
    /// </summary>
    private static void TheFollowerSawProgressEventsOnceAndInOrder(StreamFollower follower, Reporters reporters, Action<string> log)
    {
        var seen = follower.Progress.ToList();
        var resyncs = follower.Resyncs.ToList();
        log($"follower: {follower.Connections} connections, {seen.Count} progress events, {resyncs.Count} resyncs");
        foreach (var resync in resyncs) log($"  resync {resync.Text} (last event {(resync.At - resync.LastEventAt).TotalSeconds:F1} s before)");
        Assert.Equal(seen.Count, seen.Select(p => p.Id).Distinct().Count());
        var doubled = seen.GroupBy(p => p.ReportId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(doubled.Count == 0, $"progress events seen twice: {string.Join(", ", doubled.Take(10))}");
        foreach (var group in seen.GroupBy(p => (p.Task, p.Unit, p.Metric)))
        {
            var counts = group.Select(p => p.Completed).ToList();
            Assert.True(counts.Zip(counts.Skip(1)).All(x => x.First < x.Second), $"{group.Key} seen out of order: {string.Join(", ", counts)}");
        }
        var ids = seen.Select(p => p.ReportId).ToHashSet();
        var missed = reporters.Acknowledged.Values.Where(a => !ids.Contains(a.ReportId)).ToList();
        var unexcused = missed.Where(a => !resyncs.Any(r => a.FirstSentAt <= r.At && a.AckedAt >= r.LastEventAt)).ToList();
        log($"follower missed {missed.Count} of {reporters.Acknowledged.Count} acknowledged reports' progress events, " +
            $"{missed.Count - unexcused.Count} of them across a resync, {unexcused.Count} otherwise");
        foreach (var a in missed.Take(10))
            log($"  not seen: {a.ReportId} (sent {a.FirstSentAt:HH:mm:ss.fff}, acknowledged {a.AckedAt:HH:mm:ss.fff} after {a.Attempts} attempts)");
        // Every event is stored in the plan's journal before any silo sees it, and a report whose event died with its
        // owner is published from the log: a follower resumes from its last id on any silo and misses nothing.
        Assert.True(missed.Count == 0, $"the follower never saw {missed.Count} acknowledged reports' progress events (first: {string.Join(", ", missed.Take(5).Select(a => a.ReportId))})");
        Assert.True(resyncs.Count == 0, $"the follower was told to resync {resyncs.Count} times: {string.Join("; ", resyncs.Take(3).Select(r => r.Text))}");
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
