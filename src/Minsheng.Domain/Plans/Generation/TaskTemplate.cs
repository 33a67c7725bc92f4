namespace Minsheng.Domain.Plans.Generation;

/// <summary>
/// One task of gongshu-2024 as a pattern for generated plans: its project, how many of the 18 streets it reached,
/// whether the district level (区本级) had a share, its metrics and a typical target per unit. Generated plans take
/// the same 22 tasks over 10 projects, scaled to their own number of streets, so their load looks like the real one.
/// </summary>
internal sealed record TaskTemplate(int Project, int StreetsOf18, bool District, string Unit, int TypicalTarget, params string[] Metrics)
{
    /// <summary>gongshu-2024's tasks in order (seeds/gongshu-2024.plan.json): 10 projects, 22 tasks, 185 assignments at 18 streets.</summary>
    public static IReadOnlyList<TaskTemplate> Gongshu { get; } =
    [
        new(1, 6, false, "所", 1, "main"),
        new(1, 4, true, "所", 1, "main"),
        new(1, 4, false, "个", 1, "main"),
        new(2, 6, false, "个", 1, "main"),
        new(2, 9, false, "处", 1, "main"),
        new(3, 18, false, "场", 11, "main"),
        new(3, 0, true, "名", 16000, "main"),
        new(4, 8, false, "个", 1, "main"),
        new(4, 18, false, "户", 35, "main"),
        new(5, 3, false, "家", 1, "main"),
        new(5, 4, false, "人", 2500, "screening", "guidance"),
        new(6, 18, false, "人", 2, "main"),
        new(6, 18, false, "人", 3, "main"),
        new(6, 3, false, "个", 1, "main"),
        new(7, 0, true, "所", 4, "main"),
        new(7, 0, true, "所", 1, "main"),
        new(8, 4, false, "户", 850, "main"),
        new(8, 0, true, "个", 16, "main"),
        new(9, 17, false, "台", 12, "main"),
        new(9, 8, false, "个", 2, "main"),
        new(10, 10, false, "个", 5, "main"),
        new(10, 18, false, "个", 1, "main"),
    ];

    /// <summary>The number of projects the templates span.</summary>
    public const int Projects = 10;
}
