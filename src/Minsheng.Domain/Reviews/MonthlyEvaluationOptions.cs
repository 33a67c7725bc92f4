using System.ComponentModel.DataAnnotations;

namespace Minsheng.Domain.Reviews;

/// <summary>
/// Weights and limits of the monthly 评估 (configuration section <see cref="Section"/>). The three weights are the
/// points each part is worth; they need not sum to 100, but do by default. See docs/evaluation-formula.md.
/// Every evaluation carries the values it used (<c>weights</c>); <see cref="RequiredAttribute"/> tells the OpenAPI
/// document they are always there.
/// </summary>
public sealed record MonthlyEvaluationOptions
{
    public const string Section = "Minsheng:Reviews:Monthly";

    /// <summary>Points for progress against 序时进度.</summary>
    [Required] public decimal ProgressWeight { get; init; } = 70m;

    /// <summary>Points for case handling (个案督办): answered on time, closed on time, not reopened.</summary>
    [Required] public decimal CaseWeight { get; init; } = 20m;

    /// <summary>Points for reporting regularity: not silent in any weekly 晾晒 of the month.</summary>
    [Required] public decimal ReportingWeight { get; init; } = 10m;

    /// <summary>Points taken from a unit in last place, times the months in a row it has been last.</summary>
    [Required] public decimal LastPlacePenalty { get; init; } = 2m;

    /// <summary>The most the last-place penalty can take.</summary>
    [Required] public decimal MaxLastPlacePenalty { get; init; } = 10m;

    /// <summary>Days after opening by which a case must have its first answer (承办反馈).</summary>
    [Required] public int CaseAnswerDays { get; init; } = 7;

    /// <summary>Days after opening by which a case with no promised date must be closed.</summary>
    [Required] public int CaseCloseDays { get; init; } = 30;

    public static MonthlyEvaluationOptions Default { get; } = new();
}
