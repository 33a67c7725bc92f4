using Minsheng.Domain.Limits;
using Minsheng.Domain.Plans;
using Minsheng.Grains;

namespace Minsheng.Silo.Hosting;

/// <summary>The business clock every time-dependent rule reads (<c>Minsheng:Clock</c>).</summary>
public static class ClockSetup
{
    /// <summary>
    /// Registers the <see cref="BusinessClock"/>: the system clock (<c>Mode=System</c>, default), or a simulated one
    /// (<c>Mode=Simulated</c>) starting at <c>Minsheng:Clock:Start</c>, by default the first plan's start at 09:00.
    /// </summary>
    public static WebApplicationBuilder AddBusinessClock(this WebApplicationBuilder builder)
    {
        var mode = builder.Configuration["Minsheng:Clock:Mode"] ?? "System";
        var margin = builder.Configuration.GetValue("Minsheng:Limits:InstantMarginDays", 366);
        builder.Services.AddSingleton(services => InstantWindow.Around(services.GetRequiredService<PlanCatalog>(), margin));
        builder.Services.AddSingleton(services =>
        {
            if (string.Equals(mode, "System", StringComparison.OrdinalIgnoreCase)) return BusinessClock.FromSystem();
            if (!string.Equals(mode, "Simulated", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"Minsheng:Clock:Mode must be System or Simulated, not '{mode}'.");
            var start = builder.Configuration["Minsheng:Clock:Start"] is { Length: > 0 } text
                ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
                : DefaultStart(services.GetRequiredService<PlanCatalog>().Plans[0].Plan);
            var window = services.GetRequiredService<InstantWindow>();
            if (!window.Contains(start))
                throw new InvalidOperationException($"Minsheng:Clock:Start {start:O} lies outside the plans' window {window.From:O} .. {window.To:O}.");
            return BusinessClock.Simulated(start);
        });
        return builder;
    }

    private static DateTimeOffset DefaultStart(Plan plan) =>
        new(plan.Start.ToDateTime(new TimeOnly(9, 0)), plan.Deadline.Offset);
}
