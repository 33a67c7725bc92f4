using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Minsheng.Silo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Minsheng.Silo.Tests.Properties;

/// <summary>
/// Property: the ids in paths and the instants in queries of the read side (review weeks and months, their exports as
/// csv and xlsx, <c>asOf</c> on the rollup views, the forecasts, a region's rollup and the breakdown export) never answer 5xx. A week or month of the calendar that is
/// not the plan's (9999-12, 0001-W01, ...) is the documented 404 naming <c>isoWeek</c> or <c>month</c>; anything that is
/// no week, month or instant is a 400 naming its field; every refusal is a problem. Fixed seed, bounded count.
/// </summary>
public sealed class ReviewIdsPropertyTests(ReviewIdsPropertyTests.Host host, ITestOutputHelper output) : IClassFixture<ReviewIdsPropertyTests.Host>
{
    public const string Seed = "0N0XIzNsQ0O2";

    public const int Iterations = 150;

    private const string Plan = "/api/v1/plans/gongshu-2024";

    /// <summary>Simulated clock at the plan's start (nothing published yet); limits no input can trip.</summary>
    public sealed class Host : SiloHost
    {
        public Host()
        {
            With("Minsheng:Clock:Mode", "Simulated");
            With("Minsheng:RateLimit:PermitsPerSecond", "100000");
            With("Minsheng:RateLimit:Burst", "100000");
            With("Minsheng:Exports:PerCaller", "1000");
            With("Minsheng:Exports:Total", "1000");
        }
    }

    /// <summary>What kind of id an input is, and so what the service must answer.</summary>
    public enum Kind { PlanWeek, OtherWeek, PlanMonth, OtherMonth, Instant, Garbage }

    public sealed record Input(Kind Kind, string Text)
    {
        public override string ToString() => $"{Kind} '{Escape(Text)}'";
    }

    private static readonly Gen<Input> Inputs = Gen.OneOf(
        Gen.Select(Gen.Int[2024, 2024], Gen.Int[9, 53], (y, w) => new Input(Kind.PlanWeek, $"{y:D4}-W{w:D2}")),
        Gen.Select(Gen.Int[1, 9999], Gen.Int[1, 52], (y, w) => new Input(y == 2024 ? Kind.PlanWeek : Kind.OtherWeek, $"{y:D4}-W{w:D2}")),
        Gen.Select(Gen.Int[2024, 2024], Gen.Int[2, 12], (y, m) => new Input(Kind.PlanMonth, $"{y:D4}-{m:D2}")),
        Gen.Select(Gen.Int[1, 9999], Gen.Int[1, 12], (y, m) => new Input(y == 2024 && m >= 2 ? Kind.PlanMonth : Kind.OtherMonth, $"{y:D4}-{m:D2}")),
        Gen.Select(Gen.Int[1, 9999], Gen.Int[1, 12], Gen.Int[1, 28], Gen.Int[-14, 14], (y, m, d, h) =>
            new Input(Kind.Instant, $"{y:D4}-{m:D2}-{d:D2}T{(d % 24):D2}:00:00{(h < 0 ? '-' : '+')}{Math.Abs(h):D2}:00")),
        Gen.String[Gen.Char.AlphaNumeric, 0, 12].Select(s => new Input(Kind.Garbage, s)),
        // NUL aside: no HTTP client sends it in a path (Kestrel refuses such a request line itself).
        Gen.String[Gen.Char.Where(c => c != '\0'), 1, 10].Select(s => new Input(Kind.Garbage, s)));

    /// <summary>The calendar's ends and the shapes probing found, sent every run.</summary>
    private static readonly Input[] Edges =
    [
        new(Kind.OtherMonth, "9999-12"), new(Kind.OtherMonth, "0001-01"), new(Kind.OtherWeek, "9999-W52"), new(Kind.OtherWeek, "0001-W01"),
        new(Kind.OtherWeek, "2004-W53"), new(Kind.PlanMonth, "2024-12"), new(Kind.OtherMonth, "2025-01"), new(Kind.OtherMonth, "2024-01"),
        new(Kind.Instant, "9999-12-31T23:59:59Z"), new(Kind.Instant, "9999-12-31T23:59:59+14:00"), new(Kind.Instant, "0001-01-01T00:00:00-14:00"),
        new(Kind.Instant, "0001-01-01T00:00:00Z"), new(Kind.Instant, "2024-06-01T09:00:00+08:00"), new(Kind.Garbage, "final"),
        new(Kind.Garbage, "2024-00"), new(Kind.Garbage, "2024-13"), new(Kind.Garbage, "2024-W00"), new(Kind.Garbage, "+2024-06"),
        new(Kind.Garbage, "２０２４-０６"), new(Kind.Garbage, "2024-06\u0001"), new(Kind.Garbage, "%"), new(Kind.Garbage, ".."),
    ];

    private readonly List<string> _failures = new();

    [Fact]
    public async Task Review_and_export_ids_and_asOf_never_5xx_and_outside_the_plan_are_404()
    {
        var office = host.As("office");
        var inputs = Check.Single(Inputs.Array[Iterations], _ => true, Seed).Concat(Edges).ToList();
        var answers = new Dictionary<int, int>();
        foreach (var input in inputs)
        foreach (var (path, field) in Requests(input))
        {
            using var response = await office.GetAsync(path);
            var status = (int)response.StatusCode;
            answers[status] = answers.GetValueOrDefault(status) + 1;
            var body = await response.Content.ReadAsStringAsync();
            Judge(input, path, field, status, response.Content.Headers.ContentType?.MediaType, body);
        }
        output.WriteLine($"{inputs.Count} inputs; answers {string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key}×{a.Value}"))}");
        Assert.True(_failures.Count == 0, $"{_failures.Count} answers broke the contract:\n{string.Join("\n", _failures.Take(40))}");
    }

    /// <summary>Where an input goes: as a week, a month, or an instant, with the field a refusal must name.</summary>
    private static IEnumerable<(string Path, string Field)> Requests(Input input)
    {
        var id = Uri.EscapeDataString(input.Text);
        if (input.Kind is not (Kind.Instant or Kind.PlanMonth or Kind.OtherMonth))
        {
            yield return ($"{Plan}/rankings/weekly/{id}", "isoWeek");
            yield return ($"{Plan}/exports/rankings/weekly/{id}?format=csv", "isoWeek");
            yield return ($"{Plan}/exports/rankings/weekly/{id}?format=xlsx", "isoWeek");
        }
        if (input.Kind is not (Kind.Instant or Kind.PlanWeek or Kind.OtherWeek))
        {
            yield return ($"{Plan}/evaluations/{id}", "month");
            yield return ($"{Plan}/exports/evaluations/{id}?format=csv", "month");
            yield return ($"{Plan}/exports/evaluations/{id}?format=xlsx", "month");
        }
        if (input.Kind is Kind.Instant or Kind.Garbage)
        {
            foreach (var view in new[] { "rollup", "streets/tianshui", "departments/health", "leaders/fan-zheng", "projects/3", "forecasts" })
                yield return ($"{Plan}/{view}?asOf={id}", "asOf");
            yield return ($"/api/v1/regions/hangzhou/rollup?asOf={id}", "asOf");
            yield return ($"{Plan}/exports/breakdown?format=csv&asOf={id}", "asOf");
        }
    }

    private void Judge(Input input, string path, string field, int status, string? mediaType, string body)
    {
        void Fail(string why) => _failures.Add($"{input} GET {path} -> {status}: {why}\n  {Truncate(body)}");
        if (status >= 500) { Fail("a 5xx"); return; }
        if (status < 400)
        {
            if (input.Kind is Kind.OtherWeek or Kind.OtherMonth) Fail("a week or month outside the plan answered");
            return;
        }
        if (mediaType != "application/problem+json") { Fail("not a problem"); return; }
        var problem = JsonNode.Parse(body)!;
        var named = problem["field"]?.GetValue<string>();
        if (string.IsNullOrEmpty(named) || string.IsNullOrEmpty(problem["reason"]?.GetValue<string>() ?? problem["detail"]?.GetValue<string>()))
        {
            Fail("the problem names no field or reason");
            return;
        }
        switch (input.Kind)
        {
            case Kind.OtherWeek or Kind.OtherMonth when status != 404 || named != field:
                Fail($"expected 404 naming {field}");
                break;
            case Kind.PlanWeek or Kind.PlanMonth when status is not (404 or 400) || named != field:
                // Not yet published (404), or week 53 of a year with 52 (400): either way naming the id.
                Fail($"expected 404 or 400 naming {field}");
                break;
            case Kind.Instant when status != 400 || named != field:
                Fail($"expected 400 naming {field} (an instant far from the plan)");
                break;
            case Kind.Garbage when status is not (400 or 404):
                Fail("expected 400 or 404");
                break;
        }
    }

    private static string Escape(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
            builder.Append(c is < ' ' or >= '\u007f' and <= '\u009f' ? $"\\u{(int)c:X4}" : c.ToString(CultureInfo.InvariantCulture));
        return builder.ToString();
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
