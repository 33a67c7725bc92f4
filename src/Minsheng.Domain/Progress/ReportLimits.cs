namespace Minsheng.Domain.Progress;

/// <summary>Bounds on what a report may carry. Defaults suit a district plan; configurable per deployment.</summary>
public sealed record ReportLimits
{
    public int MaxIdLength { get; init; } = 100;
    public int MaxNoteLength { get; init; } = 2000;
    public int MaxReasonLength { get; init; } = 500;
    public int MaxEvidenceCount { get; init; } = 20;
    public int MaxEvidenceLength { get; init; } = 2048;

    /// <summary>A count beyond this multiple of the target is a typing error, not over-completion.</summary>
    public int MaxMultipleOfTarget { get; init; } = 10;

    public static ReportLimits Default { get; } = new();
}
