namespace Minsheng.Domain.Plans;

/// <summary>
/// One year's list of livelihood projects (民生实事) for one district: the catalog every other part reads.
/// The same shape is the plan file format (<c>seeds/*.plan.json</c>) and the body of <c>GET /api/v1/plans/{id}</c>.
/// <see cref="District"/> names the district whose units the plan's streets and departments are (a unit's token
/// names its district, and counts only in that district's plans); <see cref="Region"/> the city or province the
/// district belongs to, whose offices see its plans side by side. A plan file without them is a district of its own
/// (its id), in no region.
/// <see cref="SignOff"/> turns on 填报→审核: a unit's reporter files a report that counts only once the unit's reviewer
/// approves it (absent: reports count when posted). <see cref="Evidence"/> says what the plan keeps of evidence files
/// (absent: the defaults of <see cref="EvidencePolicy"/>).
/// </summary>
public sealed record Plan(
    string Id,
    string Title,
    int Year,
    DateOnly Start,
    DateTimeOffset Deadline,
    DateTimeOffset FinalDeadline,
    IReadOnlyList<NamedUnit> Streets,
    IReadOnlyList<NamedUnit> Departments,
    IReadOnlyList<NamedUnit> Leaders,
    IReadOnlyList<Project> Projects,
    IReadOnlyList<PlanTask> Tasks,
    NamedUnit? District = null,
    NamedUnit? Region = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    bool SignOff = false,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    EvidencePolicy? Evidence = null)
{
    /// <summary>The district's id: the plan file's, or the plan's own id when the file names none (not in the file).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string DistrictId => District?.Id ?? Id;
}

/// <summary>What a plan keeps of the evidence files (佐证材料) its units upload.</summary>
/// <param name="KeepLocation">Keep a photo's EXIF location (GPS); by default it is stripped before the file is stored.</param>
public sealed record EvidencePolicy(bool KeepLocation = false);

/// <summary>A street (街道), a department (部门) or a district leader (区领导): an id and a display name.</summary>
public sealed record NamedUnit(string Id, string Name);

/// <summary>One of the ten projects (民生实事项目) with its leaders, lead departments and the units that help.</summary>
public sealed record Project(
    string Id,
    string Name,
    string Summary,
    IReadOnlyList<string> Leaders,
    IReadOnlyList<string> LeadDepartments,
    IReadOnlyList<string> ResponsibleUnits,
    IReadOnlyList<string> Tasks);

/// <summary>A quantified task (任务) of a project, led by one department, split into assignments per unit.</summary>
public sealed record PlanTask(
    string Id,
    string ProjectId,
    string Title,
    string LeadDepartment,
    IReadOnlyList<Metric> Metrics,
    IReadOnlyList<Assignment> Assignments);

/// <summary>What a task counts, in which unit of measure, and the total stated in the task's title.</summary>
public sealed record Metric(string Id, string Name, string Unit, long Target);

/// <summary>
/// The share of one metric of a task given to one unit: a street id, or <see cref="PlanUnits.District"/>
/// for the district level (区本级), which belongs to the task's lead department.
/// </summary>
public sealed record Assignment(string UnitId, string MetricId, long Target);

/// <summary>Well-known unit ids and metric ids.</summary>
public static class PlanUnits
{
    /// <summary>The district level (区本级) as an assignment unit.</summary>
    public const string District = "district";

    /// <summary>The metric every single-metric task has.</summary>
    public const string MainMetric = "main";
}
