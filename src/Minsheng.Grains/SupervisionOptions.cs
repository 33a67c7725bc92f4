namespace Minsheng.Grains;

/// <summary>Settings of status evaluation (<c>Minsheng:Alerts</c>).</summary>
public sealed class SupervisionOptions
{
    public const string Section = "Minsheng:Alerts";

    /// <summary>How far behind its schedule, as a share of the target, an assignment may be before it is lagging.</summary>
    public decimal LagTolerance { get; set; } = 0.10m;

    /// <summary>Days before the deadline at which 临近提醒 alerts are raised.</summary>
    public int[] DeadlineNearDays { get; set; } = [30, 7];

    /// <summary>How often the durable reminder runs supervision up to now (Orleans' minimum is lowered to match).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Weekly checks in a row found lagging before a case opens.</summary>
    public int LaggingWeeksForCase { get; set; } = 4;

    /// <summary>Responses one case may hold (<c>Minsheng:Alerts:MaxCaseResponses</c>).</summary>
    public int MaxCaseResponses { get; set; } = 20;

    /// <summary>Characters all responses of one case may hold together.</summary>
    public int MaxCaseResponseCharacters { get; set; } = 20_000;

    /// <summary>How many days after the final deadline a promised completion date may lie.</summary>
    public int PromiseDaysAfterFinalDeadline { get; set; } = 366;

    public Minsheng.Domain.Supervision.CaseLimits ToCaseLimits() => new()
    {
        MaxResponses = MaxCaseResponses,
        MaxResponseCharacters = MaxCaseResponseCharacters,
        PromiseDaysAfterFinalDeadline = PromiseDaysAfterFinalDeadline,
    };

    public Minsheng.Domain.Supervision.EscalationPolicy ToPolicy() => new()
    {
        LagTolerance = LagTolerance,
        DeadlineNearDays = DeadlineNearDays,
        LaggingWeeksForCase = LaggingWeeksForCase,
    };
}

/// <summary>Settings of the aggregate grains (<c>Minsheng:Aggregates</c>).</summary>
public sealed class AggregateOptions
{
    public const string Section = "Minsheng:Aggregates";

    /// <summary>How often an aggregate pulls every fact from the owners again, healing lost one-way messages.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the plan grain recomputes the plan gauges (statuses, ratios by project, overdue by street).</summary>
    public TimeSpan GaugeInterval { get; set; } = TimeSpan.FromSeconds(15);
}
