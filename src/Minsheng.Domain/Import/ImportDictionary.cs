using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Import;

/// <summary>
/// What the importer needs to know beyond the notice itself (<c>seeds/*.import.json</c>): the plan id and title,
/// the ids of the streets, departments and leaders named in Chinese, how to read the schedule, and the metric ids
/// of tasks that count several things. Kept as data so another district or year imports without code changes.
/// </summary>
/// <param name="PlanId">The id of the plan to produce, e.g. <c>gongshu-2024</c>.</param>
/// <param name="Title">The plan's display title.</param>
/// <param name="Year">The plan's year; the deadlines fall in it.</param>
/// <param name="Schedule">How to turn the notice's months into deadlines.</param>
/// <param name="Streets">Street ids with the short names the task table uses as column headers, in plan order.</param>
/// <param name="Departments">Department ids with the names the notice uses, in plan order.</param>
/// <param name="Leaders">Leader ids with their names (whitespace inside names is ignored when matching).</param>
/// <param name="TaskMetrics">
/// Per task id, the metrics of a task whose cells hold several numbers, in the order the title and cells state them.
/// Tasks not listed get one metric <see cref="PlanUnits.MainMetric"/> named after the title.
/// </param>
/// <param name="District">The district the plan is for (id and name), copied into the plan.</param>
/// <param name="Region">The city or province the district belongs to, copied into the plan.</param>
public sealed record ImportDictionary(
    string PlanId,
    string Title,
    int Year,
    ImportSchedule Schedule,
    IReadOnlyList<NamedUnit> Streets,
    IReadOnlyList<NamedUnit> Departments,
    IReadOnlyList<NamedUnit> Leaders,
    IReadOnlyDictionary<string, IReadOnlyList<MetricDefinition>>? TaskMetrics = null,
    NamedUnit? District = null,
    NamedUnit? Region = null)
{
    // Same strictness as plan files: a misspelt field in a hand-edited dictionary must not be silently ignored.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Parses a dictionary file's text; <paramref name="source"/> names it in error messages.</summary>
    public static ImportDictionary Parse(string json, string source = "import dictionary")
    {
        try
        {
            return JsonSerializer.Deserialize<ImportDictionary>(json, Options)
                ?? throw new NoticeImportException($"{source}: the file holds no import dictionary");
        }
        catch (JsonException e)
        {
            throw new NoticeImportException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>Reads and parses a dictionary file.</summary>
    public static ImportDictionary Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    /// <summary>The metrics the dictionary gives for a task, or null when the task has the single main metric.</summary>
    public IReadOnlyList<MetricDefinition>? MetricsFor(string taskId) =>
        TaskMetrics is not null && TaskMetrics.TryGetValue(taskId, out var metrics) ? metrics : null;
}

/// <summary>A metric of a task as the dictionary defines it; its target comes from the notice.</summary>
public sealed record MetricDefinition(string Id, string Name, string Unit);
