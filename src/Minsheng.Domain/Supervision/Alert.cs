using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Supervision;

/// <summary>
/// A standing alert on one assignment metric: <c>lagging</c> or <c>deadlineNear</c> (level 1, 黄) or <c>overdue</c>
/// (level 2, 红); any alert on an assignment under an open case is level 2.
/// </summary>
public sealed record Alert(string TaskId, string UnitId, string MetricId, AssignmentStatus Status, AlertKind Kind, int Level, DateTimeOffset Since);
