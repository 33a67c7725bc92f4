namespace Minsheng.Grains.Messages;

/// <summary>
/// Who signed off a report filed under 填报→审核, as its row in the report log keeps it: the person who filled it in
/// (with the role they used) and when, the reviewer who approved it and when. The approval is the moment the report
/// counts (the row's <c>at</c>); both people and both moments are in the one atomic append that made it count.
/// </summary>
[GenerateSerializer, Immutable, Alias("minsheng.sign-off-line.v1")]
public sealed record SignOffLine(
    [property: Id(0)] string ReporterRole,
    [property: Id(1)] string Reporter,
    [property: Id(2)] DateTimeOffset SubmittedAt,
    [property: Id(3)] string ReviewerRole,
    [property: Id(4)] string Reviewer,
    [property: Id(5)] DateTimeOffset ApprovedAt);
