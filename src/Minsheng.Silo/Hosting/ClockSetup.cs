using Microsoft.Extensions.Options;
using Minsheng.Domain.Limits;
using Minsheng.Domain.Plans;
using Minsheng.Grains;

namespace Minsheng.Silo.Hosting;

/// <summary>The business clock every time-dependent rule reads (<c>Minsheng:Clock</c>).</summary>
public static class ClockSetup
{
    /// <summary>
    /// Registers the <see cref="BusinessClock"/>: the system clock (<c>Mode=System</c>, default), or a simulated one
    /// (<c>Mode=Simulated</c>) starting at <c>Minsheng:Clock:Start</c>, by default the first plan's start at 09:00, unless
    /// the cluster's clock (<see cref="ClusterClockSync"/>) already stands elsewhere: then every silo takes the cluster's.
    /// </summary>
    public static WebApplicationBuilder AddBusinessClock(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ClockOptions, ClockOptionsRules>(ClockOptions.Section);
        builder.Services.AddValidatedOptions<InstantLimitOptions, InstantLimitOptionsRules>(InstantLimitOptions.Section);
        builder.Services.AddSingleton(services => InstantWindow.Around(services.GetRequiredService<PlanCatalog>(),
            services.GetRequiredService<IOptions<InstantLimitOptions>>().Value.InstantMarginDays));
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<ClockOptions>>().Value;
            if (options.Mode == ClockMode.System) return BusinessClock.FromSystem();
            var start = options.Start ?? DefaultStart(services.GetRequiredService<PlanCatalog>().Plans[0].Plan);
            // The window depends on the loaded plans, so this rule is checked here rather than with the others.
            var window = services.GetRequiredService<InstantWindow>();
            if (!window.Contains(start))
                throw new InvalidOperationException($"{ClockOptions.Section}:Start {start:O} lies outside the plans' window {window.From:O} .. {window.To:O}.");
            return BusinessClock.Simulated(start);
        });
        // A simulated clock is the cluster's: joined while the silo starts, moved through the one clock grain.
        builder.Services.AddSingleton<ClusterClockSync>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ClusterClockSync>());
        return builder;
    }

    private static DateTimeOffset DefaultStart(Plan plan) =>
        new(plan.Start.ToDateTime(new TimeOnly(9, 0)), plan.Deadline.Offset);
}

/// <summary>The instants the API accepts (<c>Minsheng:Limits</c>; the section's other limits belong to the report log).</summary>
public sealed class InstantLimitOptions
{
    public const string Section = "Minsheng:Limits";

    /// <summary>Days by which the loaded plans' span is widened on both sides.</summary>
    public int InstantMarginDays { get; set; } = 366;
}

/// <summary>The rules of <see cref="InstantLimitOptions"/>.</summary>
public sealed class InstantLimitOptionsRules : IValidateOptions<InstantLimitOptions>
{
    /// <summary>A century: wider is no longer a window, and near the calendar's ends it would overflow.</summary>
    private const int MaxMarginDays = 36_525;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, InstantLimitOptions options) => ValidatedOptions.Result(
        options.InstantMarginDays is < 0 or > MaxMarginDays
            ? [$"{InstantLimitOptions.Section}:InstantMarginDays must be between 0 and {MaxMarginDays}, not {options.InstantMarginDays}"]
            : []);
}
