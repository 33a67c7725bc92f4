using Minsheng.Domain.Plans;

namespace Minsheng.Demo;

/// <summary>One report the demo posts on a day: a cumulative count, or a correction down to one.</summary>
public sealed record DemoReport(DateOnly Day, string ReportId, long Completed, string? Note, bool Correction = false, string? Reason = null);

/// <summary>One assignment as the demo plays it: who reports it, its curve and its reports in order.</summary>
public sealed record DemoAssignment(string TaskId, string UnitId, string MetricId, bool SingleMetric, DemoOwner Owner, ProgressCurve Curve,
    IReadOnlyList<DemoReport> Reports)
{
    /// <summary>The assignment's key in logs.</summary>
    public override string ToString() => $"{TaskId}/{UnitId}/{MetricId}";
}

/// <summary>Who reports: a street for its own assignments, a lead department for the district level (区本级).</summary>
public sealed record DemoOwner(string Role, string Person, PaceProfile Profile, DayOfWeek ReportDay);

/// <summary>A schedule (倒排计划) the owner sets at the start.</summary>
public sealed record DemoSchedule(DemoAssignment Assignment, IReadOnlyList<(DateOnly Date, long Completed)> Milestones);

/// <summary>
/// The year the demo plays, worked out in advance from the plan's catalog and a seed: every assignment of every street
/// and lead department, its profile, its curve and its reports, and the schedules set at the start. Plain data, so
/// the same seed gives the same year and tests read it without a host.
/// </summary>
public sealed record DemoScenario(string PlanId, DateOnly Start, DateOnly Deadline, DateOnly FinalDeadline,
    IReadOnlyList<DemoAssignment> Assignments, IReadOnlyList<DemoSchedule> Schedules)
{
    /// <summary>Works out the year for a plan.</summary>
    public static DemoScenario Build(Plan plan, DemoOptions options)
    {
        var dice = new DemoDice(options.Seed);
        var mix = options.Mix;
        var start = plan.Start;
        var deadline = DateOnly.FromDateTime(plan.Deadline.DateTime);
        var finalDeadline = DateOnly.FromDateTime(plan.FinalDeadline.DateTime);
        var streets = plan.Streets.ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);
        var departments = plan.Departments.ToDictionary(d => d.Id, d => d.Name, StringComparer.Ordinal);
        var owners = new Dictionary<string, DemoOwner>(StringComparer.Ordinal);

        DemoOwner OwnerOf(PlanTask task, string unitId)
        {
            var (role, name) = unitId == PlanUnits.District
                ? ($"department:{task.LeadDepartment}", departments.GetValueOrDefault(task.LeadDepartment, task.LeadDepartment))
                : ($"street:{unitId}", streets.GetValueOrDefault(unitId, unitId));
            if (!owners.TryGetValue(role, out var owner))
            {
                owner = new DemoOwner(role, $"演示-{name}", Pick(mix, dice.Unit("profile", role)),
                    (DayOfWeek)dice.Between(1, 5, "weekday", role));
                owners[role] = owner;
            }
            return owner;
        }

        var assignments = new List<DemoAssignment>();
        foreach (var task in plan.Tasks)
        {
            foreach (var a in task.Assignments)
            {
                var key = $"{task.Id}/{a.UnitId}/{a.MetricId}";
                var owner = OwnerOf(task, a.UnitId);
                var profile = dice.Unit("cohesion", key) < mix.Cohesion ? owner.Profile : Pick(mix, dice.Unit("profile", key));
                var curve = ProgressCurve.For(profile, a.Target, start, deadline, finalDeadline, dice.Unit("finish", key));
                var reports = Reports(dice, mix, options.Seed, key, task, a, owner, curve, deadline, finalDeadline);
                assignments.Add(new DemoAssignment(task.Id, a.UnitId, a.MetricId, task.Metrics.Count == 1, owner, curve, reports));
            }
        }

        var schedules = assignments
            .Where(a => a.Curve.Target > 0)
            .OrderBy(a => dice.Unit("schedule", a.ToString()))
            .Take(Math.Max(0, options.Schedules))
            .Select(a => new DemoSchedule(a, Milestones(a.Curve.Target, start, deadline)))
            .ToList();
        return new DemoScenario(plan.Id, start, deadline, finalDeadline, assignments, schedules);
    }

    /// <summary>The reports due on days after <paramref name="after"/> up to and including <paramref name="until"/>, per assignment.</summary>
    public IEnumerable<(DemoAssignment Assignment, IReadOnlyList<DemoReport> Reports)> Due(DateOnly after, DateOnly until)
    {
        foreach (var a in Assignments)
        {
            var due = a.Reports.Where(r => r.Day > after && r.Day <= until).ToList();
            if (due.Count > 0) yield return (a, due);
        }
    }

    private static PaceProfile Pick(DemoMix mix, double u) =>
        u < mix.Late ? PaceProfile.Late
        : u < mix.Late + mix.Lagging ? PaceProfile.Lagging
        : u < mix.Late + mix.Lagging + mix.Ahead ? PaceProfile.Ahead
        : PaceProfile.OnTrack;

    /// <summary>
    /// An owner reports on its weekday (skipping some weeks) and on the day an assignment is finished; only a count
    /// that changed is reported. Now and then a count is over-stated and corrected the same day.
    /// </summary>
    private static List<DemoReport> Reports(DemoDice dice, DemoMix mix, int seed, string key, PlanTask task, Assignment a, DemoOwner owner,
        ProgressCurve curve, DateOnly deadline, DateOnly finalDeadline)
    {
        var reports = new List<DemoReport>();
        var last = 0L;
        var idPrefix = $"demo-{seed}-{task.Id}-{a.UnitId}-{a.MetricId}-";
        for (var day = curve.Start.AddDays(1); day <= finalDeadline && last < curve.Target; day = day.AddDays(1))
        {
            var value = curve.CompletedOn(day);
            var finished = value >= curve.Target;
            var reportDay = day.DayOfWeek == owner.ReportDay && dice.Unit("skip", owner.Role, day.ToString("O")) >= mix.SkipWeek;
            if (value <= last || !(reportDay || finished)) continue;

            var bump = Math.Max(1, curve.Target / 10);
            if (!finished && value + bump < curve.Target && dice.Unit("correction", key, day.ToString("O")) < mix.Correction)
            {
                reports.Add(new DemoReport(day, idPrefix + (reports.Count + 1), value + bump, "含待核实数据"));
                reports.Add(new DemoReport(day, idPrefix + (reports.Count + 1), value, null, true, $"复核发现重复统计，核减 {bump}"));
            }
            else
            {
                var note = !finished ? null : curve.FinishesAfter(deadline) ? "查漏补缺，全部完成" : "全部完成";
                reports.Add(new DemoReport(day, idPrefix + (reports.Count + 1), value, note));
            }
            last = value;
        }
        return reports;
    }

    /// <summary>Milestones at a quarter, a half and three quarters of the way to the deadline, then the target at the deadline.</summary>
    private static List<(DateOnly, long)> Milestones(long target, DateOnly start, DateOnly deadline)
    {
        var span = deadline.DayNumber - start.DayNumber;
        var milestones = new List<(DateOnly Date, long Completed)>();
        foreach (var (f, share) in new[] { (0.25, 0.2), (0.5, 0.5), (0.75, 0.8) })
        {
            var date = start.AddDays((int)(span * f));
            var count = (long)Math.Ceiling(target * share);
            if (date > start && date < deadline && (milestones.Count == 0 || date > milestones[^1].Date)) milestones.Add((date, count));
        }
        milestones.Add((deadline, target));
        return milestones;
    }
}
