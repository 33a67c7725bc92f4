using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Minsheng.Hosting;
using Minsheng.Hosting.Auth;

namespace Minsheng.Demo;

/// <summary>
/// Turns demo mode on (<c>--demo</c> or <c>Minsheng:Demo:Enabled=true</c>): forces the simulated clock from the plan's
/// start, refuses PostgreSQL storage unless <c>Minsheng:Demo:AllowPostgres=true</c>, and adds the <see cref="DemoRunner"/>.
/// </summary>
public static class DemoSetup
{
    /// <summary>The command-line switch.</summary>
    public const string Switch = "--demo";

    /// <summary>
    /// Replaces a bare <c>--demo</c> by <c>--Minsheng:Demo:Enabled=true</c>: left as it is, the configuration's command-line
    /// reader would take the next argument for its value.
    /// </summary>
    public static string[] RewriteArgs(string[] args) =>
        args.Select(a => a == Switch ? $"--{DemoOptions.Section}:Enabled=true" : a).ToArray();

    /// <summary>
    /// Configures demo mode when it is on. Returns false when it must not start (PostgreSQL storage not explicitly
    /// allowed), after saying why in the log; the caller then exits.
    /// </summary>
    public static bool AddDemoMode(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DemoOptions, DemoOptionsRules>(DemoOptions.Section);
        var options = DemoOptions.ReadEarly(builder);
        if (!options.Enabled) return true;

        var storage = MinshengOptions.ReadEarly(builder).Storage;
        using var loggers = LoggerFactory.Create(logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole());
        var logger = loggers.CreateLogger(typeof(DemoRunner).FullName!);
        if (storage == StorageMode.Postgres && !options.AllowPostgres)
        {
            logger.LogCritical("Demo mode refuses to start on PostgreSQL storage (Minsheng:Storage=Postgres): a demo posts synthetic " +
                "reports and must never write into a real database by accident. Run it on Minsheng:Storage=Memory, or set " +
                "Minsheng:Demo:AllowPostgres=true for a throwaway database.");
            return false;
        }

        var catalog = PlanSeeds.Load(builder);
        var plan = options.Plan is { Length: > 0 } id
            ? catalog.Find(id) ?? throw new InvalidOperationException($"{DemoOptions.Section}:Plan '{id}' is not a loaded plan.")
            : catalog.Plans[0];

        // The demo plays the whole year on the simulated clock, from the plan's start (09:00), whatever was configured.
        var notes = new List<string>();
        var clock = ClockOptions.ReadEarly(builder);
        var start = new DateTimeOffset(plan.Plan.Start.ToDateTime(new TimeOnly(9, 0)), plan.Plan.Deadline.Offset);
        if (clock.Mode != ClockMode.Simulated)
            notes.Add($"{ClockOptions.Section}:Mode={clock.Mode} overridden: demo mode runs on the simulated clock");
        if (clock.Start is { } configured && configured != start)
            notes.Add($"{ClockOptions.Section}:Start={configured:O} overridden: demo mode starts at the plan's start, {start:O}");
        builder.Services.PostConfigure<ClockOptions>(o =>
        {
            o.Mode = ClockMode.Simulated;
            o.Start = start;
        });
        notes.Add(storage == StorageMode.Postgres
            ? "storage is PostgreSQL (Minsheng:Demo:AllowPostgres=true): synthetic reports WILL be written into that database"
            : "storage is in memory: nothing the demo posts is written to a database");

        var key = SigningKeys.Resolve(builder);
        builder.Services.AddSingleton(new DemoContext(options, plan, new DemoTokens(key, TimeProvider.System, plan.Plan.DistrictId), notes));
        // One lead per host unless the host registers a cluster-wide one (the silo does: a grain holds the lease).
        builder.Services.TryAddSingleton<IDemoLead, SoleDemoLead>();
        builder.Services.AddHostedService<DemoRunner>();
        return true;
    }
}

/// <summary>What the demo runs with, fixed at start.</summary>
public sealed record DemoContext(DemoOptions Options, Minsheng.Domain.Plans.PlanIndex Plan, DemoTokens Tokens, IReadOnlyList<string> Notes);
