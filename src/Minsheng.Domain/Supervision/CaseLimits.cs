using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Supervision;

/// <summary>
/// Bounds on what a case may accumulate. Unbounded, one caller could grow a case (and the supervision record that
/// holds it) by megabytes per request; bounded, a case's answer stays small enough to send whole.
/// </summary>
public sealed record CaseLimits
{
    public static CaseLimits Default { get; } = new();

    /// <summary>Responses (承办反馈) one case may hold.</summary>
    public int MaxResponses { get; init; } = 20;

    /// <summary>Characters all of one case's responses may hold together.</summary>
    public int MaxResponseCharacters { get; init; } = 20_000;

    /// <summary>How many days after the plan's final deadline a promised completion date may lie.</summary>
    public int PromiseDaysAfterFinalDeadline { get; init; } = 366;
}

/// <summary>Whether a lead department's response may be added to a case.</summary>
public static class CaseRules
{
    /// <summary>Refuses a response that would exceed the case's bounds, or a promised date outside the plan's reach.</summary>
    public static Refusal? CheckResponse(PlanTimeline timeline, SupervisionCase c, string text, DateOnly promisedDate, CaseLimits limits)
    {
        var earliest = timeline.DateOf(timeline.Start);
        var latest = timeline.DateOf(timeline.FinalDeadline).AddDays(limits.PromiseDaysAfterFinalDeadline);
        if (promisedDate < earliest || promisedDate > latest)
            return Refusal.Invalid("promisedDate", $"承诺完成日期须在 {earliest:yyyy-MM-dd} 至 {latest:yyyy-MM-dd} 之间");
        if (c.Responses.Count >= limits.MaxResponses)
            return Refusal.Unprocessable("text", $"督办件 {c.Id} 已有 {c.Responses.Count} 条反馈，达到上限 {limits.MaxResponses} 条");
        var used = c.Responses.Sum(r => r.Text.Length);
        if (used + text.Length > limits.MaxResponseCharacters)
            return Refusal.Unprocessable("text", $"督办件 {c.Id} 的反馈总字数将超过上限 {limits.MaxResponseCharacters} 字（已用 {used} 字）");
        return null;
    }
}
