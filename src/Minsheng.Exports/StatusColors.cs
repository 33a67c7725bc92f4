using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;

namespace Minsheng.Exports;

/// <summary>
/// The fill of a status cell, in the office's usual 红黄绿 with blue for work under way, and the Chinese label that
/// goes with it so colour is never the only signal (the legend row names them).
/// </summary>
public static class StatusColors
{
    public const string Done = "#C6EFCE";
    public const string OnTrack = "#DDEBF7";
    public const string Lagging = "#FFEB9C";
    public const string Overdue = "#FFC7CE";

    /// <summary>The fill of a status.</summary>
    public static string Fill(AssignmentStatus status) => status switch
    {
        AssignmentStatus.Done => Done,
        AssignmentStatus.Lagging => Lagging,
        AssignmentStatus.Overdue => Overdue,
        _ => OnTrack,
    };

    /// <summary>The status's name in the legend.</summary>
    public static string Label(AssignmentStatus status) => status switch
    {
        AssignmentStatus.Done => "已完成",
        AssignmentStatus.Lagging => "滞后",
        AssignmentStatus.Overdue => "逾期",
        _ => "序时推进",
    };

    /// <summary>The fill of a ranking light.</summary>
    public static string LightFill(Light light) => light switch
    {
        Light.Green => Done,
        Light.Yellow => Lagging,
        _ => Overdue,
    };
}
