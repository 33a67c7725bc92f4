using System.Globalization;
using System.Text;

namespace Minsheng.Benchmarks;

/// <summary>The Markdown of a scale run: machine, table (every figure of the service as a ratio to the plain design's), targets, notes.</summary>
internal static class ScaleReport
{
    private const double GiB = 1024.0 * 1024 * 1024;
    private const double MiB = 1024.0 * 1024;

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public static string Render(string scale, BenchOptions options, string runId, TimeSpan took, int plans, int regions, int assignments, int logRows,
        long historyRows, IReadOnlyList<SystemResult> results, IReadOnlyList<string> notes)
    {
        var text = new StringBuilder();
        text.AppendLine(I($"## Scale: {scale}{(options.Quick ? " (quick)" : "")} — {plans:#,0} plans, {regions} region(s), {assignments:#,0} assignments (run {runId}, {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, {took.TotalSeconds:0} s)"));
        text.AppendLine();
        text.AppendLine($"Reproduce: `./scripts/bench.sh --scale {scale}{(options.Quick ? " --quick" : "")}`. Machine: {Machine()}.");
        text.AppendLine();

        var memory = results.FirstOrDefault(r => r.Name == "memory");
        var pg = results.FirstOrDefault(r => r.Name == "PostgreSQL");
        var plain = results.FirstOrDefault(r => r.Name == "plain design");
        SystemResult?[] columns = [memory, pg, plain];
        string[] header = ["measurement", "unit", "memory", "PostgreSQL", "plain design", "memory ÷ plain", "PostgreSQL ÷ plain"];
        var rows = new List<string[]>();

        void Row(string name, string unit, Func<SystemResult, double> value, Func<SystemResult, string>? show = null, bool ratio = true)
        {
            string Cell(SystemResult? r)
            {
                if (r is null) return "—";
                if (r.Error is not null) return "failed";
                var v = value(r);
                return show is not null ? show(r) : double.IsNaN(v) ? "n/a" : ResultTable.Format(v);
            }
            string Ratio(SystemResult? r)
            {
                if (!ratio || r is null || plain is null || r.Error is not null || plain.Error is not null) return "";
                var (a, b) = (value(r), value(plain));
                return double.IsNaN(a) || double.IsNaN(b) || b == 0 ? "" : ResultTable.Ratio(a / b);
            }
            rows.Add([name, unit, Cell(memory), Cell(pg), Cell(plain), Ratio(memory), Ratio(pg)]);
        }
        static string Lat(PhaseResult? p) => p is null ? "n/a" : I($"{p.Rate:#,0} ({p.PercentileMs(50):0.0} / {p.PercentileMs(99):0.0} ms)");
        static double Rate(PhaseResult? p) => p?.Rate ?? double.NaN;
        static string Probe(LatencyResult? l) => l is null ? "n/a"
            : l.Ms.Length == 0 ? "none (see notes)"
            : I($"{l.P(50):0.0} / {l.P(99):0.0}{(l.Failed > 0 ? $" ({l.Failed} failed)" : "")}");

        Row("time to ready (process start → /health/ready 200)", "s", r => r.ReadySeconds);
        Row("time to ready at 1 plan (gongshu-2024, same run)", "s", r => r.OnePlanReadySeconds, ratio: false);
        Row(I($"time to ready at {plans:#,0} ÷ at 1 plan"), "×", r => r.ReadySeconds / r.OnePlanReadySeconds, ratio: false);
        Row("supervision caught up (start → the schedule has run every plan due: PostgreSQL, the past year; memory, the year up to the mid-year Monday; n/a: not within --catch-up-wait)", "s", r => r.SupervisedSeconds, ratio: false);
        Row("RSS after that catch-up", "MiB", r => r.RssSupervised / MiB, ratio: false);
        Row("RSS after ready", "MiB", r => r.RssStart / MiB);
        Row("RSS after ready, per plan", "MiB", r => r.RssStart / MiB / Math.Max(plans, 1));
        Row("RSS after the load", "MiB", r => r.RssEnd / MiB);
        Row("RSS after the load, per plan", "MiB", r => r.RssEnd / MiB / Math.Max(plans, 1));
        Row("RSS at the end of the year (memory: simulated clock moved to the year's end after the load; PostgreSQL: after the catch-up of the past year with its year-end log)", "MiB", r => r.RssYearEnd == 0 ? double.NaN : r.RssYearEnd / MiB, ratio: false);
        Row("RSS at the end of the year, per plan", "MiB", r => r.RssYearEnd == 0 ? double.NaN : r.RssYearEnd / MiB / Math.Max(plans, 1), ratio: false);
        Row("CPU at a Monday 09:00 (simulated clock, memory mode: every plan's daily and weekly checks and its weekly ranking)", "CPU s", r => r.MondayCpuSeconds, ratio: false);
        Row("… per plan", "CPU ms", r => r.MondayCpuSeconds * 1000 / Math.Max(plans, 1), ratio: false);
        Row("… wall time until every plan's Monday is done", "s", r => r.MondaySeconds, ratio: false);
        Row("the rest of the year judged after the load (clock to the year's end)", "s", r => r.SimulatedYear is null ? double.NaN : r.YearEndSeconds, ratio: false);
        Row("GET /health/live: the no-op HTTP limit (p50 / p99)", "req/s", r => Rate(r.Live), r => Lat(r.Live));
        Row("GET /health/ready: health checks + one grain call (the supervision schedule)", "req/s", r => Rate(r.Ready), r => Lat(r.Ready));
        Row("POST reports, many reporters over every plan (p50 / p99)", "req/s", r => Rate(r.Reports), r => Lat(r.Reports));
        Row("server CPU per report (silo / plain app)", "µs", r => r.ServerUsPerReport);
        Row("PostgreSQL CPU per report", "µs", r => r.DbUsPerReport);
        Row("POST reports at 1 plan (same run)", "req/s", r => r.OnePlanReportRate, ratio: false);
        Row(I($"reports/s at {plans:#,0} plans ÷ at 1 plan"), "×", r => Rate(r.Reports) / r.OnePlanReportRate, ratio: false);
        Row("ack → plan rollup shows it, p50 / p99 (ratio on p99)", "ms", r => r.AckPlan?.P(99) ?? double.NaN, r => Probe(r.AckPlan));
        Row("ack → region rollup shows it, p50 / p99 (ratio on p99)", "ms", r => r.AckRegion?.P(99) ?? double.NaN, r => Probe(r.AckRegion));
        Row("GET plan rollup, random plan (p50 / p99)", "req/s", r => Rate(r.PlanReads), r => Lat(r.PlanReads));
        Row("GET street, random plan and street (p50 / p99)", "req/s", r => Rate(r.StreetReads), r => Lat(r.StreetReads));
        Row("GET region rollup, random region (p50 / p99)", "req/s", r => Rate(r.RegionReads), r => Lat(r.RegionReads));
        Row("activations after reading every street and department of every plan", "", r => r.Activations, ratio: false);
        Row("SIGTERM → the silo exited (grace: the host's 30 s shutdown timeout)", "s", r => r.StopSeconds, ratio: false);
        Row("every plan and region rollup exact after the run", "", _ => double.NaN, r => r.Exactness is null ? "not checked"
            : r.Exactness.Exact ? I($"exact ({r.Exactness.Plans:#,0} + {r.Exactness.Regions})") : I($"**{r.Exactness.Mismatches.Count} MISMATCHES**"), ratio: false);
        text.Append(Table(header, rows));
        text.AppendLine();

        text.AppendLine("Targets of issue 19, item 5:");
        foreach (var line in Targets(scale, plans, logRows, memory, pg, plain)) text.AppendLine($"- {line}");
        text.AppendLine();
        text.AppendLine("Notes:");
        text.AppendLine(I($"- Concurrency {options.Concurrency} (HTTP/1.1 on 127.0.0.1, one connection per worker); phases {(options.Quick ? ScaleTimes.Quick : ScaleTimes.Full).Phase.TotalSeconds:0} s after {(options.Quick ? ScaleTimes.Quick : ScaleTimes.Full).WarmUp.TotalSeconds:0} s warm-up, the report burst {(options.Quick ? ScaleTimes.Quick : ScaleTimes.Full).Burst.TotalSeconds:0} s after {(options.Quick ? ScaleTimes.Quick : ScaleTimes.Full).BurstWarmUp.TotalSeconds:0} s; load generator, server and PostgreSQL share the cores.{(options.Quick ? " Quick run: short phases and few probes, a smoke test rather than figures to quote." : "")}"));
        text.AppendLine("- Reports: each of the workers owns every n-th assignment of a shuffled list of all assignments of all plans, and sends counts one higher than the last, one assignment at a time, as the owner (street or lead department, token naming the plan's district). ack → rollup: one report at a time on an otherwise idle system, each chosen so its plan's shown ratio changes; the plan rollup is read with `?after=position` (the plain design is always current), the region rollup polled back to back until the plan's line shows the new ratio.");
        text.AppendLine("- Exactness: after the phases every plan rollup (plan, project, task, task-metric ratios and counts) and every region rollup (each plan's ratio, rank with ties, order; in the service its status counts against the plan rollup's) is compared with what the benchmark computed itself from the counts it had acknowledged (exact fractions, rounded half away from zero to 6 places); reports left without an answer are sent again first. Any difference fails the run (exit 1).");
        text.AppendLine("- The plain design (benchmarks/Minsheng.Benchmarks/PlainDesign.cs, PlainDesign.sql): an ASP.NET Core minimal-API process writing one row per report (one INSERT … SELECT checking owner, district and not-lower, durable commit) and computing every rollup with SQL at read time over the latest row per assignment (index (plan, task, unit, metric, id DESC) INCLUDE (completed)); the same URLs, tokens and ratio rules; it leaves out status counts, schedules, events and history, all in its favour. \"÷ plain\" divides the service's figure by the plain design's (for latencies below 1× is better).");
        text.AppendLine("- The limit: GET /health/live is the no-op HTTP line. A no-op grain call needs a grain in src/ (out of this branch's reach): the nearest line is GET /health/ready (membership check, plan catalog, one call to the supervision schedule grain; in PostgreSQL mode also a database round trip). platform-notes.md measured Orleans' no-op grain call at ≈660k calls/s co-hosted on this machine.");
        foreach (var r in results.Where(r => r.SimulatedYear is not null))
            text.AppendLine($"- {r.Name} mode ran a simulated year ({r.SimulatedYear}): RSS after ready is the start of the year; the Monday's CPU is the silo process's CPU from moving the clock to 09:00:30 until the schedule had run every plan; its reports are stamped on that Monday. PostgreSQL mode runs on the system clock (its bulk-loaded history is stamped through the year), so every checkpoint of its plans' past year is due at start.");
        foreach (var note in notes) text.AppendLine($"- {note}");
        foreach (var r in results)
        {
            if (r.Error is not null) text.AppendLine($"- {r.Name}: FAILED: {r.Error}");
            foreach (var note in r.Notes) text.AppendLine($"- {note}");
            if (r.Exactness is { Exact: false } x)
                foreach (var m in x.Mismatches.Take(10)) text.AppendLine($"- {r.Name} mismatch: {m}");
            foreach (var (l, what) in new[] { (r.AckPlan, "plan"), (r.AckRegion, "region") })
                if (l is { Failed: > 0 }) text.AppendLine($"- {r.Name}: {l.Failed} ack → {what} probes failed; first: {l.FirstFailure}");
        }
        text.AppendLine($"- Load average at the end: {HostInfo.LoadAverage()}.");
        return text.ToString();
    }

    private static IEnumerable<string> Targets(string scale, int plans, int logRows, SystemResult? memory, SystemResult? pg, SystemResult? plain)
    {
        var nation = scale == "nation";
        var province = scale == "province";
        foreach (var r in new[] { memory, pg }.Where(r => r is not null).Select(r => r!))
        {
            if (r.Error is not null)
            {
                yield return $"{r.Name}: not measured ({r.Error}): every target of this mode MISSED or unknown.";
                continue;
            }
            var ready = r.ReadySeconds / r.OnePlanReadySeconds;
            yield return Verdict(r.Name, nation, I($"time to ready at 2,800 plans ≤ 10× at 1 plan"), new Target("≤ 10×", ready, 10, AtLeast: false),
                I($"{ready:0.00}× ({r.ReadySeconds:0.0} s ÷ {r.OnePlanReadySeconds:0.0} s)"), plans);
            var throughput = (r.Reports?.Rate ?? double.NaN) / r.OnePlanReportRate;
            yield return Verdict(r.Name, nation, "report throughput at nation ≥ 0.5× at gongshu (1 plan, same run)", new Target("≥ 0.5×", throughput, 0.5, AtLeast: true),
                I($"{throughput:0.00}× ({r.Reports?.Rate ?? double.NaN:#,0} ÷ {r.OnePlanReportRate:#,0} reports/s)"), plans);
            if (plain is { Error: null })
            {
                foreach (var (what, mine, theirs) in new[] { ("region", r.RegionReads, plain.RegionReads), ("plan", r.PlanReads, plain.PlanReads) })
                {
                    var x = (mine?.Rate ?? double.NaN) / (theirs?.Rate ?? double.NaN);
                    yield return Verdict(r.Name, province, $"{what} rollup reads ≥ 10× the plain design's at province", new Target("≥ 10×", x, 10, AtLeast: true),
                        I($"{x:0.0}× ({mine?.Rate ?? double.NaN:#,0} ÷ {theirs?.Rate ?? double.NaN:#,0}/s)") + (nation ? " (issue 19: the gap should widen at nation)" : ""), plans);
                }
            }
            else yield return $"{r.Name}: rollup reads ÷ plain design: not measured (no plain design in this run).";
            var p99 = r.AckRegion?.P(99) ?? double.NaN;
            yield return Verdict(r.Name, nation, "ack → region rollup p99 < 1 s at nation", new Target("< 1,000 ms", p99, 1000, AtLeast: false), I($"{p99:0} ms"), plans);
            if (r.Name == "PostgreSQL")
            {
                var rss = new[] { r.RssStart, r.RssEnd, r.RssSupervised, r.RssYearEnd }.Max() / GiB;
                yield return Verdict(r.Name, nation && logRows >= 50, I($"RSS ≤ 8 GB at nation in PostgreSQL mode with ≈50 log rows per assignment (here {logRows})"),
                    new Target("≤ 8 GiB", rss, 8, AtLeast: false), I($"{rss:0.00} GiB (largest of after ready, after the catch-up, after the load and at the year's end)"), plans);
            }
        }
    }

    private static string Verdict(string mode, bool applies, string what, Target target, string measured, int plans) => applies
        ? $"{mode}: {what}: measured {measured} — {(double.IsNaN(target.Ratio) ? "not measured" : target.Met ? "**met**" : $"**MISSED** by {Miss(target)}")}"
        : I($"{mode}: {what}: (defined at another scale; here, {plans:#,0} plans) {measured}");

    private static string Miss(Target t) => t.AtLeast ? I($"{1 - t.Ratio / t.Bound:0%} (needs {t.Bound / t.Ratio:0.00}× more)") : I($"{t.Ratio / t.Bound - 1:0%} (needs {t.Ratio / t.Bound:0.00}× less)");

    private static string Table(string[] header, List<string[]> rows)
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", header).AppendLine(" |");
        text.Append('|').AppendJoin('|', header.Select((_, i) => i < 2 ? "---" : "---:")).AppendLine("|");
        foreach (var row in rows) text.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        return text.ToString();
    }

    private static string Machine()
    {
        static string First(string file, string prefix) => File.Exists(file)
            ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        var memKb = First("/proc/meminfo", "MemTotal").Split(' ')[0];
        var mem = long.TryParse(memKb, CultureInfo.InvariantCulture, out var kb) ? I($"{kb / 1048576.0:0.0} GiB") : "?";
        return I($"{Environment.ProcessorCount} cores ({First("/proc/cpuinfo", "model name")}), {mem} memory, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
    }

    /// <summary>Replaces the section between this scale's markers in BENCHMARKS.md, or inserts it before the first older section.</summary>
    public static void WriteSection(string path, string key, string section)
    {
        var begin = $"<!-- scale:{key} -->";
        var end = $"<!-- /scale:{key} -->";
        var block = $"{begin}\n{section.TrimEnd()}\n{end}\n";
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        var a = text.IndexOf(begin, StringComparison.Ordinal);
        var b = text.IndexOf(end, StringComparison.Ordinal);
        if (a >= 0 && b > a)
            text = text[..a] + block + text[(b + end.Length)..].TrimStart('\n');
        else
        {
            // After "## How it was run" (the first section), before the older results.
            var first = text.IndexOf("\n## ", StringComparison.Ordinal);
            var second = first < 0 ? -1 : text.IndexOf("\n## ", first + 1, StringComparison.Ordinal);
            var existing = text.IndexOf("<!-- scale:", StringComparison.Ordinal);
            var at = existing >= 0 ? existing : second >= 0 ? second + 1 : text.Length;
            text = text[..at] + block + "\n" + text[at..];
        }
        File.WriteAllText(path, text);
        Console.WriteLine($"Wrote the {key} section of {path}.");
    }
}
