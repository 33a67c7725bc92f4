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

    /// <summary>The fill of a wire status (done, onTrack, lagging, overdue); null for anything else.</summary>
    public static string? Fill(string status) => status switch
    {
        "done" => Done,
        "onTrack" => OnTrack,
        "lagging" => Lagging,
        "overdue" => Overdue,
        _ => null,
    };

    public static string Label(string status) => status switch
    {
        "done" => "已完成",
        "onTrack" => "序时推进",
        "lagging" => "滞后",
        "overdue" => "逾期",
        _ => status,
    };

    /// <summary>The fill of a ranking light (green, yellow, red).</summary>
    public static string? LightFill(string light) => light switch
    {
        "green" => Done,
        "yellow" => Lagging,
        "red" => Overdue,
        _ => null,
    };
}
