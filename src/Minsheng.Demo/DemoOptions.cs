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
