namespace Minsheng.Domain.Progress;

/// <summary>Bounds on what a report may carry. Defaults suit a district plan; configurable per deployment.</summary>
public sealed record ReportLimits
{
    public int MaxIdLength { get; init; } = 100;
    public int MaxNoteLength { get; init; } = 2000;
    public int MaxReasonLength { get; init; } = 500;
    public int MaxEvidenceCount { get; init; } = 20;
    public int MaxEvidenceLength { get; init; } = 2048;

    /// <summary>
    /// A count beyond this multiple of the target is taken for a typing error (an extra zero or three), not
    /// over-completion, which is real and accepted (11 on a target of 1 stands). Generous by default; configuration
    /// (<c>Minsheng:Limits:MaxMultipleOfTarget</c>).
    /// </summary>
    public int MaxMultipleOfTarget { get; init; } = 1000;

    public static ReportLimits Default { get; } = new();
}
