using System.Globalization;
using System.Text;

namespace Minsheng.Benchmarks;

/// <summary>A target from issue 18 (or issue 16): the measured ratio must be at least (or at most) the bound.</summary>
internal sealed record Target(string Text, double Ratio, double Bound, bool AtLeast)
{
    public bool Met => AtLeast ? Ratio >= Bound : Ratio <= Bound;

    /// <summary>"met (1.3× the bound)" or "MISSED by 38%: needs 1.6× the rate".</summary>
    public string Verdict => double.IsNaN(Ratio) ? "n/a"
        : Met ? $"met ({ResultTable.Ratio(AtLeast ? Ratio / Bound : Bound / Ratio)} margin)"
        : AtLeast ? $"MISSED by {1 - Ratio / Bound:0%}: needs {ResultTable.Ratio(Bound / Ratio)} the rate"
        : $"MISSED by {Ratio / Bound - 1:0%}: needs {ResultTable.Ratio(Ratio / Bound)} less";
}

/// <summary>One line of the result table: a measurement of one mode, its ratio to that mode's baseline, and its target.</summary>
internal sealed record Row(string Mode, string Name, double Value, string Unit, double? Baseline = null, Target? Target = null,
    string? Text = null, string? Latency = null);

/// <summary>Prints rows as one Markdown table.</summary>
internal static class ResultTable
{
    public static string Render(IEnumerable<Row> rows)
    {
        string[] header = ["mode", "measurement", "value", "unit", "p50 / p99 ms", "÷ mode's baseline", "target (issue 18)", "met?"];
        var lines = rows.Select(r => new[]
        {
            r.Mode,
            r.Name,
            r.Text ?? Format(r.Value),
            r.Unit,
            r.Latency ?? "",
            r.Baseline is { } b && r.Text is null && b > 0 ? Ratio(r.Value / b) : "",
            r.Target?.Text ?? "",
            r.Target?.Verdict ?? "",
        }).ToList();
        var right = new[] { false, false, true, false, true, true, false, false };
        var widths = header.Select((h, i) => Math.Max(h.Length, lines.Count == 0 ? 0 : lines.Max(l => l[i].Length))).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells) => text.Append("| ").AppendJoin(" | ", cells.Select((c, i) => right[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).AppendLine(" |");
        Line(header);
        text.Append('|').AppendJoin('|', widths.Select((w, i) => right[i] ? new string('-', w + 1) + ":" : new string('-', w + 2))).AppendLine("|");
        foreach (var l in lines) Line(l);
        return text.ToString();
    }

    public static string Format(double value) =>
        double.IsNaN(value) ? "n/a"
        : Math.Abs(value) >= 1000 ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 100 ? value.ToString("0.0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 1 ? value.ToString("0.00", CultureInfo.InvariantCulture)
        : value.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Ratio(double r) => double.IsNaN(r) || double.IsInfinity(r) ? "n/a"
        : r >= 10 ? r.ToString("0.0", CultureInfo.InvariantCulture) + "×"
        : r >= 0.01 ? r.ToString("0.00", CultureInfo.InvariantCulture) + "×"
        : r.ToString("0.0000", CultureInfo.InvariantCulture) + "×";
}
