using System.Globalization;
using System.Text;

namespace Minsheng.Benchmarks;

/// <summary>One line of the result table. Ratios are value ÷ limit and value ÷ the same quantity of this run's baseline.</summary>
internal sealed record Row(string Name, double Value, string Unit, double? Limit = null, string? LimitNote = null, double? Baseline = null, string? Text = null);

/// <summary>Prints rows as a Markdown table.</summary>
internal static class ResultTable
{
    public static string Render(IEnumerable<Row> rows)
    {
        string[] header = ["name", "value", "unit", "limit", "ratio to limit", "ratio to baseline"];
        var lines = rows.Select(r => new[]
        {
            r.Name,
            r.Text ?? Format(r.Value),
            r.Unit,
            r.Limit is { } l ? Format(l) + (r.LimitNote is null ? "" : $" ({r.LimitNote})") : "—",
            r.Limit is { } limit && r.Text is null && limit > 0 ? Ratio(r.Value / limit) : "—",
            r.Baseline is { } b && r.Text is null && b > 0 ? Ratio(r.Value / b) : "—",
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, lines.Count == 0 ? 0 : lines.Max(l => l[i].Length))).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells) => text.Append("| ").AppendJoin(" | ", cells.Select((c, i) => i is 1 or 3 or 4 or 5 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).AppendLine(" |");
        Line(header);
        text.Append('|').AppendJoin('|', widths.Select((w, i) => i is 1 or 3 or 4 or 5 ? new string('-', w + 1) + ":" : new string('-', w + 2))).AppendLine("|");
        foreach (var l in lines) Line(l);
        return text.ToString();
    }

    public static string Format(double value) =>
        double.IsNaN(value) ? "n/a"
        : Math.Abs(value) >= 1000 ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 100 ? value.ToString("0.0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 1 ? value.ToString("0.00", CultureInfo.InvariantCulture)
        : value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Ratio(double r) => double.IsNaN(r) ? "n/a"
        : r >= 10 ? r.ToString("0.0", CultureInfo.InvariantCulture) + "×"
        : r >= 0.01 ? r.ToString("0.00", CultureInfo.InvariantCulture) + "×"
        : r.ToString("0.0000", CultureInfo.InvariantCulture) + "×";
}
