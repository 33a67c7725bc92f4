using Microsoft.Extensions.Options;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;

namespace Minsheng.Silo.Hosting;

/// <summary>
/// The reviews' settings (每周晾晒 lights, 每月评估 weights, 综合考评 credit: <c>Minsheng:Reviews</c>) and the bounds
/// every report is checked against (<c>Minsheng:Limits</c>), bound and checked at start. The domain's records are the
/// options themselves; grains and handlers take them as plain singletons.
/// </summary>
public static class ReviewSettings
{
    /// <summary>Binds and validates the review settings and report limits, and registers their values.</summary>
    public static WebApplicationBuilder AddReviewSettings(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<ReviewOptions, ReviewRules>(ReviewOptions.Section);
        services.AddValidatedOptions<MonthlyEvaluationOptions, MonthlyRules>(MonthlyEvaluationOptions.Section);
        services.AddValidatedOptions<FinalEvaluationOptions, FinalRules>(FinalEvaluationOptions.Section);
        services.AddValidatedOptions<ReportLimits, ReportLimitRules>("Minsheng:Limits");
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ReviewOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MonthlyEvaluationOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<FinalEvaluationOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ReportLimits>>().Value);
        return builder;
    }

    internal sealed class ReviewRules : IValidateOptions<ReviewOptions>
    {
        public ValidateOptionsResult Validate(string? name, ReviewOptions o) => ValidatedOptions.Result(Errors(o));

        private static IEnumerable<string> Errors(ReviewOptions o)
        {
            const string at = ReviewOptions.Section;
            if (o.YellowFromPoints is < 0m or > 100m) yield return $"{at}:YellowFromPoints must be from 0 to 100, not {o.YellowFromPoints}";
            if (o.RedAbovePoints < o.YellowFromPoints || o.RedAbovePoints > 100m)
                yield return $"{at}:RedAbovePoints must be from YellowFromPoints ({o.YellowFromPoints}) to 100, not {o.RedAbovePoints}";
        }
    }

    internal sealed class MonthlyRules : IValidateOptions<MonthlyEvaluationOptions>
    {
        public ValidateOptionsResult Validate(string? name, MonthlyEvaluationOptions o) => ValidatedOptions.Result(Errors(o));

        private static IEnumerable<string> Errors(MonthlyEvaluationOptions o)
        {
            const string at = MonthlyEvaluationOptions.Section;
            foreach (var (key, value) in new[]
                     {
                         (nameof(o.ProgressWeight), o.ProgressWeight), (nameof(o.CaseWeight), o.CaseWeight), (nameof(o.ReportingWeight), o.ReportingWeight),
                         (nameof(o.LastPlacePenalty), o.LastPlacePenalty), (nameof(o.MaxLastPlacePenalty), o.MaxLastPlacePenalty),
                     })
                if (value < 0m) yield return $"{at}:{key} must be at least 0, not {value}";
            if (o.ProgressWeight + o.CaseWeight + o.ReportingWeight <= 0m) yield return $"{at}: the three weights must not all be 0";
            if (o.CaseAnswerDays < 1) yield return $"{at}:CaseAnswerDays must be at least 1, not {o.CaseAnswerDays}";
            if (o.CaseCloseDays < 1) yield return $"{at}:CaseCloseDays must be at least 1, not {o.CaseCloseDays}";
        }
    }

    internal sealed class FinalRules : IValidateOptions<FinalEvaluationOptions>
    {
        public ValidateOptionsResult Validate(string? name, FinalEvaluationOptions o) => o.LateCredit is < 0m or > 1m
            ? ValidateOptionsResult.Fail($"{FinalEvaluationOptions.Section}:LateCredit must be from 0 to 1, not {o.LateCredit}")
            : ValidateOptionsResult.Success;
    }

    internal sealed class ReportLimitRules : IValidateOptions<ReportLimits>
    {
        public ValidateOptionsResult Validate(string? name, ReportLimits o) => ValidatedOptions.Result(
            new[]
                {
                    (nameof(o.MaxIdLength), o.MaxIdLength), (nameof(o.MaxNoteLength), o.MaxNoteLength), (nameof(o.MaxReasonLength), o.MaxReasonLength),
                    (nameof(o.MaxEvidenceCount), o.MaxEvidenceCount), (nameof(o.MaxEvidenceLength), o.MaxEvidenceLength),
                    (nameof(o.MaxMultipleOfTarget), o.MaxMultipleOfTarget),
                }
                .Where(v => v.Item2 < 1).Select(v => $"Minsheng:Limits:{v.Item1} must be at least 1, not {v.Item2}"));
    }
}
