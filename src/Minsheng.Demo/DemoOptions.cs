using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Minsheng.Hosting;

namespace Minsheng.Demo;

/// <summary>
/// Demo mode (<c>Minsheng:Demo</c>, or <c>--demo</c> on the command line): a fast simulated year with synthetic
/// reports posted through the public API. Off by default.
/// </summary>
public sealed class DemoOptions
{
    public const string Section = "Minsheng:Demo";

    /// <summary>Runs the demo (<c>--demo</c> sets it).</summary>
    public bool Enabled { get; set; }

    /// <summary>The plan to play; by default the first loaded plan.</summary>
    public string? Plan { get; set; }

    /// <summary>Seeds every choice (profiles, report days, corrections, answers): the same seed plays the same year.</summary>
    public int Seed { get; set; } = 2024;

    /// <summary>Real time between two moves of the clock (default half a second).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Simulated time one move of the clock covers (default one day).</summary>
    public TimeSpan Step { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Allows the demo on PostgreSQL storage: only for a throwaway database, it writes synthetic reports.</summary>
    public bool AllowPostgres { get; set; }

    /// <summary>The mix of units and assignments: shares ahead of schedule, lagging, and finishing late (in December).</summary>
    public DemoMix Mix { get; set; } = new();

    /// <summary>How many assignments get a schedule (倒排计划) of their own at the start.</summary>
    public int Schedules { get; set; } = 6;

    /// <summary>Share of open cases a lead department answers (承办反馈).</summary>
    public double AnswerShare { get; set; } = 0.6;

    /// <summary>The settings as builder code reads them: whether the demo runs decides what is registered.</summary>
    public static DemoOptions ReadEarly(IHostApplicationBuilder builder) => builder.ReadEarly<DemoOptions, DemoOptionsRules>(Section);
}

/// <summary>Shares of the progress profiles; what is left over is on track.</summary>
public sealed class DemoMix
{
    /// <summary>Share finishing well before the deadline.</summary>
    public double Ahead { get; set; } = 0.25;

    /// <summary>Share starting slowly and finishing just in time (lagging alerts, cases after four weekly checks).</summary>
    public double Lagging { get; set; } = 0.25;

    /// <summary>Share missing the deadline and finishing in the mop-up month (overdue, cases, done late).</summary>
    public double Late { get; set; } = 0.08;

    /// <summary>Share of an owner's assignments that follow the owner's own profile rather than a draw of their own.</summary>
    public double Cohesion { get; set; } = 0.7;

    /// <summary>Share of weekly report days a unit skips (silent units in the weekly 晾晒).</summary>
    public double SkipWeek { get; set; } = 0.1;

    /// <summary>Share of reports that over-count and are corrected the same day.</summary>
    public double Correction { get; set; } = 0.03;
}

/// <summary>
/// The rules of <see cref="DemoOptions"/>, checked whether or not the demo is on (whether <c>Plan</c> names a loaded plan
/// is checked when the demo starts, as it depends on the plans).
/// </summary>
public sealed class DemoOptionsRules : IValidateOptions<DemoOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DemoOptions options) => ValidatedOptions.Result(Errors(options));

    private static IEnumerable<string> Errors(DemoOptions options)
    {
        const string demo = DemoOptions.Section;
        if (options.Step <= TimeSpan.Zero) yield return $"{demo}:Step must be positive, not {options.Step}";
        if (options.Interval < TimeSpan.Zero) yield return $"{demo}:Interval must not be negative, not {options.Interval}";
        if (options.Schedules < 0) yield return $"{demo}:Schedules must be at least 0, not {options.Schedules}";
        foreach (var (key, share) in Shares(options))
            if (!(share is >= 0 and <= 1)) yield return $"{demo}:{key} must be a share from 0 to 1, not {share}";
        var mix = options.Mix;
        if (mix.Ahead + mix.Lagging + mix.Late > 1)
            yield return $"{demo}:Mix:Ahead, Lagging and Late must add up to at most 1, not {mix.Ahead + mix.Lagging + mix.Late}";
    }

    private static IEnumerable<(string Key, double Share)> Shares(DemoOptions options) =>
    [
        (nameof(DemoOptions.AnswerShare), options.AnswerShare),
        ("Mix:" + nameof(DemoMix.Ahead), options.Mix.Ahead),
        ("Mix:" + nameof(DemoMix.Lagging), options.Mix.Lagging),
        ("Mix:" + nameof(DemoMix.Late), options.Mix.Late),
        ("Mix:" + nameof(DemoMix.Cohesion), options.Mix.Cohesion),
        ("Mix:" + nameof(DemoMix.SkipWeek), options.Mix.SkipWeek),
        ("Mix:" + nameof(DemoMix.Correction), options.Mix.Correction),
    ];
}
