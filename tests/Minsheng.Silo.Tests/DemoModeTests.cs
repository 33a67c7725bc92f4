using System.Diagnostics;
using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// Demo mode in a real silo process (Kestrel, so the demo can call its own address over HTTP) on in-memory storage,
/// at a pace with no wait between clock steps.
/// </summary>
public sealed class DemoModeTests
{
    private const string Plan = "/api/v1/plans/gongshu-2024";
    private static readonly DateTimeOffset PlanStart = new(2024, 2, 28, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task The_demo_moves_the_clock_and_reports_through_the_api_until_alerts_and_cases_appear()
    {
        await using var silo = TestSilos.Process("", new Dictionary<string, string>
        {
            ["Minsheng:Storage"] = "Memory",
            ["Minsheng:Demo:Enabled"] = "true",
            ["Minsheng:Demo:Interval"] = "00:00:00",
            ["Logging:LogLevel:Minsheng.Demo"] = "Information",
        });
        await silo.Start();
        var office = silo.As("office");

        var clock = await Poll.Until(async () => await office.GetOk("/api/v1/admin/clock"), c => DateTimeOffset.Parse(c["now"].Str(), System.Globalization.CultureInfo.InvariantCulture) > PlanStart, "demo mode to move the simulated clock past the plan start", TimeSpan.FromSeconds(60));
        Assert.Equal("Simulated", clock["mode"].Str());
        Assert.True(DateTimeOffset.Parse(clock["now"].Str(), System.Globalization.CultureInfo.InvariantCulture) > PlanStart, $"the clock did not move:\n{silo.Log}");

        var rollup = await Poll.Until(async () => await office.GetOk($"{Plan}/rollup"), r => r["ratio"].Dec() > 0, "demo reports to reach the plan rollup", TimeSpan.FromSeconds(60));
        Assert.True(rollup["ratio"].Dec() > 0, $"no report arrived: {rollup.Canonical()}\n{silo.Log}");

        var alerts = await Poll.Until(async () => (await office.GetOk($"{Plan}/alerts")).AsArray(), a => a.Count > 0, "demo mode to raise an alert", TimeSpan.FromSeconds(90));
        Assert.True(alerts.Count > 0, $"no alert:\n{silo.Log}");

        // Cases open after four lagging weekly checks in a row: about two simulated months in.
        var cases = await Poll.Until(async () => (await office.GetOk($"{Plan}/cases")).AsArray(), c => c.Count > 0, "demo mode to open a case", TimeSpan.FromSeconds(180));
        Assert.True(cases.Count > 0, $"no case:\n{silo.Log}");

        // The reports came in as the streets and departments, named as demo people, not as the office or a grain call.
        var reported = await office.GetOk($"{Plan}/streets/tianshui");
        var assignment = reported["assignments"]!.AsArray().First(a => a!["lastReportAt"] is not null)!;
        var history = (await office.GetOk($"{Plan}/assignments/{assignment["taskId"].Str()}/tianshui/history")).AsArray();
        Assert.All(history, h =>
        {
            Assert.Equal("street:tianshui", h!["by"].Str());
            Assert.Equal("演示-天水", h["person"].Str());
        });

        Assert.Contains("Demo mode: storage is in memory", silo.Log);
        Assert.Contains("Demo mode: playing plan gongshu-2024", silo.Log);
    }

    [Fact]
    public async Task The_demo_refuses_postgres_storage_unless_it_is_explicitly_allowed()
    {
        // Nothing listens on port 1: the refusal comes before any connection is tried.
        await using var silo = TestSilos.Process("Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none", new Dictionary<string, string>
        {
            ["Minsheng:Demo:Enabled"] = "true",
            ["Logging:LogLevel:Default"] = "Information",
        });
        var watch = Stopwatch.StartNew();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Start(TimeSpan.FromSeconds(60)));
        Assert.Contains("exited with 2", refused.Message);
        Assert.Contains("Demo mode refuses to start on PostgreSQL storage", refused.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60));
    }
}
