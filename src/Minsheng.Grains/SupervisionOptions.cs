using Microsoft.Extensions.Options;

namespace Minsheng.Grains;

/// <summary>Settings of status evaluation (<c>Minsheng:Alerts</c>).</summary>
public sealed class SupervisionOptions
{
    public const string Section = "Minsheng:Alerts";

    /// <summary>How far behind its schedule, as a share of the target, an assignment may be before it is lagging.</summary>
    public decimal LagTolerance { get; set; } = Minsheng.Domain.Progress.StatusRules.DefaultLagTolerance;

    /// <summary>Days before the deadline at which 临近提醒 alerts are raised.</summary>
    public int[] DeadlineNearDays { get; set; } = [30, 7];

    /// <summary>How often the schedule's one durable reminder runs the plans due up to now (Orleans' minimum is lowered to match).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many plans' supervisors the schedule runs at once when many fall due together (midnight, a start).</summary>
    public int ScheduleParallelism { get; set; } = 4;

    /// <summary>Weekly checks in a row found lagging before a case opens.</summary>
    public int LaggingWeeksForCase { get; set; } = 4;

    /// <summary>Responses one case may hold (<c>Minsheng:Alerts:MaxCaseResponses</c>).</summary>
    public int MaxCaseResponses { get; set; } = 20;

    /// <summary>Characters all responses of one case may hold together.</summary>
    public int MaxCaseResponseCharacters { get; set; } = 20_000;

    /// <summary>How many days after the final deadline a promised completion date may lie.</summary>
    public int PromiseDaysAfterFinalDeadline { get; set; } = 366;

    /// <summary>When each day's digest (每日提醒) is made on the business clock, for the units a subscription asks for (empty: none).</summary>
    public string? DigestTime { get; set; } = "08:00";

    /// <summary>Days an open case may wait for its first response before caseResponseOverdue is told.</summary>
    public int CaseResponseDays { get; set; } = 3;

    internal TimeOnly? ParsedDigestTime =>
        string.IsNullOrWhiteSpace(DigestTime) ? null
        : TimeOnly.TryParseExact(DigestTime, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t) ? t : null;

    public Minsheng.Domain.Supervision.CaseLimits ToCaseLimits() => new()
    {
        MaxResponses = MaxCaseResponses,
        MaxResponseCharacters = MaxCaseResponseCharacters,
        PromiseDaysAfterFinalDeadline = PromiseDaysAfterFinalDeadline,
    };

    public Minsheng.Domain.Supervision.EscalationPolicy ToPolicy() => new()
    {
        DeadlineNearDays = DeadlineNearDays,
        LaggingWeeksForCase = LaggingWeeksForCase,
        DigestTime = ParsedDigestTime,
        CaseResponseDays = CaseResponseDays,
    };
}

/// <summary>The rules of <see cref="SupervisionOptions"/>; each message names the full configuration key.</summary>
public sealed class SupervisionOptionsRules : IValidateOptions<SupervisionOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SupervisionOptions options) =>
        Errors(options).ToList() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;

    private static IEnumerable<string> Errors(SupervisionOptions o)
    {
        const string at = SupervisionOptions.Section;
        // A share of the target: 1 or more would never call anything lagging, below 0 everything on schedule.
        if (o.LagTolerance is < 0m or >= 1m) yield return $"{at}:LagTolerance must be at least 0 and below 1, not {o.LagTolerance}";
        foreach (var (days, i) in o.DeadlineNearDays.Select((d, i) => (d, i)))
            if (days < 0) yield return $"{at}:DeadlineNearDays:{i} must be at least 0, not {days}";
        if (o.ReminderPeriod <= TimeSpan.Zero) yield return $"{at}:ReminderPeriod must be positive, not {o.ReminderPeriod}";
        if (o.ScheduleParallelism < 1) yield return $"{at}:ScheduleParallelism must be at least 1, not {o.ScheduleParallelism}";
        if (o.LaggingWeeksForCase < 1) yield return $"{at}:LaggingWeeksForCase must be at least 1, not {o.LaggingWeeksForCase}";
        if (o.MaxCaseResponses < 1) yield return $"{at}:MaxCaseResponses must be at least 1, not {o.MaxCaseResponses}";
        if (o.MaxCaseResponseCharacters < 1) yield return $"{at}:MaxCaseResponseCharacters must be at least 1, not {o.MaxCaseResponseCharacters}";
        if (!string.IsNullOrWhiteSpace(o.DigestTime) && o.ParsedDigestTime is null)
            yield return $"{at}:DigestTime must be a time of day as HH:mm (e.g. 08:00), or empty for no digest, not {o.DigestTime}";
        if (o.CaseResponseDays < 1) yield return $"{at}:CaseResponseDays must be at least 1, not {o.CaseResponseDays}";
        if (o.PromiseDaysAfterFinalDeadline < 0)
            yield return $"{at}:PromiseDaysAfterFinalDeadline must be at least 0, not {o.PromiseDaysAfterFinalDeadline}";
    }
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

/// <summary>The rules of <see cref="AggregateOptions"/>: a timer period must be positive.</summary>
public sealed class AggregateOptionsRules : IValidateOptions<AggregateOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AggregateOptions options)
    {
        var errors = new List<string>();
        if (options.ReconcileInterval <= TimeSpan.Zero)
            errors.Add($"{AggregateOptions.Section}:ReconcileInterval must be positive, not {options.ReconcileInterval}");
        if (options.GaugeInterval <= TimeSpan.Zero)
            errors.Add($"{AggregateOptions.Section}:GaugeInterval must be positive, not {options.GaugeInterval}");
        return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
