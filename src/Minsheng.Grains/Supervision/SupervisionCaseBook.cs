using Minsheng.Domain.Supervision;

namespace Minsheng.Grains.Supervision;

/// <summary>
/// The cases of a plan's supervision, stored apart from its statuses and alerts: a case action rewrites only the
/// cases, and a status change only the statuses, so neither grows the other's writes.
/// </summary>
public sealed class SupervisionCaseBook
{
    public List<SupervisionCase> Cases { get; set; } = [];

    public int NextCaseNumber { get; set; } = 1;
}
