using Minsheng.Domain;
using Minsheng.Domain.Progress;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Minsheng.Domain.Supervision;
using Minsheng.Hosting;

namespace Minsheng.Demo;

/// <summary>
/// Plays the demo year once the host has started: moves the simulated clock a step at a time through
/// <c>POST /api/v1/admin/clock</c>, and after each step posts the reports the <see cref="DemoScenario"/> has for those
/// days, as the streets and lead departments would; lead departments answer some open cases. Everything goes over HTTP
/// to the host's own address, so every check, case and escalation runs as in real use. Stops at the plan's final
/// deadline and logs a summary; the host keeps running so the finished year can be looked at.
/// </summary>
public sealed class DemoRunner(DemoContext context, IServer server, IHostApplicationLifetime lifetime, IDemoLead lead, ILogger<DemoRunner> logger)
    : BackgroundService
{
    private const int Parallelism = 4;
    private const int MaxLoggedRefusals = 20;
    private readonly DemoTally _tally = new();
    private readonly HashSet<string> _decidedCases = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await lifetime.WaitAsync(stoppingToken);
            await Run(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The demo is a guest: its failure is logged, the host goes on serving.
            logger.LogError(e, "Demo stopped after an error");
        }
    }

    private async Task Run(CancellationToken ct)
    {
        var options = context.Options;
        var plan = context.Plan;
        if (DemoAddress.Of(server) is not { } address)
        {
            logger.LogError("Demo mode needs the host's own HTTP address (Kestrel) and the server lists none: the demo does not run");
            return;
        }
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        var api = new DemoApi(http, context.Tokens, plan.Id);
        var ready = Stopwatch.StartNew();
        while (!await api.Ready(ct))
        {
            if (ready.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"{address}health/ready did not answer 200 within two minutes");
            await Task.Delay(200, ct);
        }

        var scenario = DemoScenario.Build(plan.Plan, options);
        var profiles = scenario.Assignments.GroupBy(a => a.Curve.Profile).ToDictionary(g => g.Key, g => g.Count());
        foreach (var note in context.Notes) logger.LogWarning("Demo mode: {Note}", note);
        logger.LogInformation(
            "Demo mode: playing plan {Plan} through {Address} with seed {Seed}, one step of {Step} every {Interval}: {Assignments} assignments " +
            "({Ahead} ahead, {OnTrack} on track, {Lagging} lagging, {Late} finishing late), {Reports} reports to post",
            plan.Id, address, options.Seed, options.Step, options.Interval, scenario.Assignments.Count,
            profiles.GetValueOrDefault(PaceProfile.Ahead), profiles.GetValueOrDefault(PaceProfile.OnTrack),
            profiles.GetValueOrDefault(PaceProfile.Lagging), profiles.GetValueOrDefault(PaceProfile.Late),
            scenario.Assignments.Sum(a => a.Reports.Count));

        var timeline = PlanTimeline.Of(plan.Plan);
        var final = plan.Plan.FinalDeadline;
        var watch = Stopwatch.StartNew();
        var holder = Guid.NewGuid().ToString("N");
        var lease = options.Interval * 3 > MinimumLease ? options.Interval * 3 : MinimumLease;
        var led = false;
        while (true)
        {
            // Another silo of the cluster may drive: wait while it does, take over when it stops renewing.
            if (!await lead.TryLead(holder, lease, ct))
            {
                if (led || watch.Elapsed < lease) logger.LogInformation("Demo mode: another silo drives the demo; this one takes over if it stops");
                led = false;
                await Task.Delay(lease / 3, ct);
                continue;
            }
            var now = await ClockNow(api, ct);
            if (now >= final) break;
            if (!led) logger.LogInformation("Demo mode: this silo drives the demo from {Now}", now);
            led = true;
            if (!await Play(api, scenario, timeline, now, holder, lease, ct)) continue;
            break;
        }
        await LogSummary(api, scenario, watch.Elapsed, ct);
    }

    /// <summary>The least time another silo waits for a silent holder before it takes the demo over.</summary>
    private static readonly TimeSpan MinimumLease = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Plays from <paramref name="now"/> to the final deadline while this silo holds the lead; false when it lost it.
    /// The step before <paramref name="now"/> is posted again first (a previous holder may have moved the clock and died
    /// before posting it): the reports keep their ids, so what was posted already is answered as a retry.
    /// </summary>
    private async Task<bool> Play(DemoApi api, DemoScenario scenario, PlanTimeline timeline, DateTimeOffset now, string holder, TimeSpan lease, CancellationToken ct)
    {
        var options = context.Options;
        var plan = context.Plan;
        var final = plan.Plan.FinalDeadline;
        var date = timeline.DateOf(now);
        // The schedules (倒排计划) are set once, by the silo that starts the year.
        if (now <= new DateTimeOffset(plan.Plan.Start.ToDateTime(new TimeOnly(9, 0)), plan.Plan.Deadline.Offset))
            foreach (var schedule in scenario.Schedules)
            {
                using var response = await api.Schedule(schedule, ct);
                if (response.IsSuccessStatusCode) _tally.Schedule();
                else await Refused($"schedule {schedule.Assignment}", response, ct);
            }
        var before = timeline.DateOf(now - options.Step);
        if (before < date) await PostDue(api, scenario.Due(before, date), ct);

        var lastCaseScan = date;
        while (now < final)
        {
            if (!await lead.TryLead(holder, lease, ct)) return false;
            var step = Stopwatch.StartNew();
            var next = now + options.Step < final ? now + options.Step : final;
            using (var moved = await api.MoveClock(next, ct))
            {
                if (!moved.IsSuccessStatusCode)
                {
                    logger.LogError("Demo stopped: moving the clock to {Next} answered {Status}: {Body}", next, (int)moved.StatusCode,
                        await moved.Content.ReadAsStringAsync(ct));
                    return true;
                }
            }
            var nextDate = timeline.DateOf(next);
            await PostDue(api, scenario.Due(date, nextDate), ct);
            if (nextDate.DayNumber - lastCaseScan.DayNumber >= 7 || next >= final)
            {
                await AnswerCases(api, nextDate, ct);
                lastCaseScan = nextDate;
            }
            if (nextDate.Month != date.Month) await LogMonth(api, nextDate, ct);
            (now, date) = (next, nextDate);
            var rest = options.Interval - step.Elapsed;
            if (rest > TimeSpan.Zero) await Task.Delay(rest, ct);
        }
        return true;
    }

    private static async Task<DateTimeOffset> ClockNow(DemoApi api, CancellationToken ct)
    {
        var clock = await api.ReadPath("/api/v1/admin/clock", ct) as JsonObject
            ?? throw new InvalidOperationException("GET /api/v1/admin/clock answered no clock");
        if (clock["mode"]?.GetValue<string>() != ClockMode.Simulated.WireName()) throw new InvalidOperationException("The business clock is not simulated");
        return DateTimeOffset.Parse(clock["now"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task PostDue(DemoApi api, IEnumerable<(DemoAssignment Assignment, IReadOnlyList<DemoReport> Reports)> due, CancellationToken ct) =>
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (item, token) =>
        {
            // One assignment's reports in order (an over-count, then its correction); assignments side by side.
            foreach (var report in item.Reports)
            {
                using var response = await api.Report(item.Assignment, report, token);
                if (response.IsSuccessStatusCode) _tally.Report(report.Correction);
                else await Refused($"report {report.ReportId}", response, token);
            }
        });

    private async Task AnswerCases(DemoApi api, DateOnly today, CancellationToken ct)
    {
        if (await api.Read("cases?state=open", ct) is not JsonArray open) return;
        var dice = new DemoDice(context.Options.Seed);
        foreach (var c in open.OfType<JsonObject>())
        {
            var id = c["id"]?.GetValue<string>();
            var taskId = c["taskId"]?.GetValue<string>();
            var unitId = c["unitId"]?.GetValue<string>();
            if (id is null || taskId is null || unitId is null || !_decidedCases.Add(id)) continue;
            if (dice.Unit("answer", id) >= context.Options.AnswerShare) continue;
            if (context.Plan.FindTask(taskId) is not { } task) continue;
            var department = context.Plan.FindDepartment(task.LeadDepartment)?.Name ?? task.LeadDepartment;
            var unit = context.Plan.FindStreet(unitId)?.Name is { } street ? $"{street}街道" : "区本级";
            var promised = today.AddDays(dice.Between(7, 30, "promise", id));
            var text = $"已约谈{unit}，督促倒排进度、加快推进，{promised:M月d日}前完成";
            using var response = await api.Respond(id, $"department:{task.LeadDepartment}", $"演示-{department}", text, promised, ct);
            if (response.IsSuccessStatusCode) _tally.Response();
            else await Refused($"response to case {id}", response, ct);
        }
    }

    private async Task LogMonth(DemoApi api, DateOnly date, CancellationToken ct)
    {
        var rollup = await api.Read("rollup", ct);
        var open = await api.Read("cases?state=open", ct) as JsonArray;
        logger.LogInformation("Demo {Date:yyyy-MM-dd}: plan ratio {Ratio:P1}, {Lagging} lagging, {Overdue} overdue, {Open} open cases, {Reports} reports posted",
            date, Number(rollup?["ratio"]), Number(rollup?["counts"]?["lagging"]), Number(rollup?["counts"]?["overdue"]), open?.Count ?? 0, _tally.Reports);
    }

    private async Task LogSummary(DemoApi api, DemoScenario scenario, TimeSpan elapsed, CancellationToken ct)
    {
        var rollup = await api.Read("rollup", ct);
        var cases = await api.Read("cases", ct) as JsonArray ?? [];
        var counts = rollup?["counts"];
        var byState = cases.OfType<JsonObject>().GroupBy(c => c["state"]?.GetValue<string>() ?? "?").ToDictionary(g => g.Key, g => g.Count());
        logger.LogInformation(
            "Demo finished at the final deadline {Final:O} after {Elapsed:mm\\:ss} real time: plan ratio {Ratio:P1}; assignments {Done} done " +
            "({Late} planned to finish late), {Overdue} overdue; {Cases} cases ({Open} open, {Responded} responded, {Closed} closed); posted {Reports} reports " +
            "({Corrections} corrections), {Schedules} schedules, {Responses} case responses; {Refused} refused. The host keeps running.",
            context.Plan.Plan.FinalDeadline, elapsed, Number(rollup?["ratio"]), Number(counts?["done"]),
            scenario.Assignments.Count(a => a.Curve.FinishesAfter(scenario.Deadline)), Number(counts?["overdue"]), cases.Count,
            byState.GetValueOrDefault(CaseState.Open.WireName()), byState.GetValueOrDefault(CaseState.Responded.WireName()), byState.GetValueOrDefault(CaseState.Closed.WireName()),
            _tally.Reports, _tally.Corrections, _tally.Schedules, _tally.Responses, _tally.Refused);
    }

    private async Task Refused(string what, HttpResponseMessage response, CancellationToken ct)
    {
        if (_tally.Refusal() <= MaxLoggedRefusals)
            logger.LogWarning("Demo: {What} answered {Status}: {Body}", what, (int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    private static double Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : 0;
}
