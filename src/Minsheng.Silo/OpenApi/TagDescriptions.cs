using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Minsheng.Silo.OpenApi;

/// <summary>
/// A Chinese description for every tag the endpoints use (<c>.WithTags</c>). A new tag without one fails the build
/// of the document, so the linters' <c>tag-description</c> never finds one missing.
/// </summary>
public sealed class TagDescriptions : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> Described = new(StringComparer.Ordinal)
    {
        ["OpenAPI"] = "本接口文档",
        ["Health"] = "存活与就绪探针（无需令牌）",
        ["Catalog"] = "计划目录：项目、任务、分解任务与单位",
        ["Regions"] = "地区（市、省）：所辖各区县计划按完成率排名；可按 asOf 时点查询",
        ["Reports"] = "上报累计完成数（含更正）",
        ["SignOff"] = "填报审核（填报→审核）：待审核与已退回的报告，审核通过或退回",
        ["Evidence"] = "上报的佐证材料（照片、PDF）：上传、清单、下载与缩略图",
        ["Rollups"] = "汇总：计划、街道、部门、区领导、项目，以及分解任务的上报历史；均可按 asOf 时点查询",
        ["Schedules"] = "倒排计划（里程碑）",
        ["Forecasts"] = "按各单位自身进度预测完成时间与逾期风险",
        ["Subscriptions"] = "通知订阅：督办、临近截止、预计逾期、晾晒与评估、每日提醒推送到 webhook 或钉钉机器人",
        ["Supervision"] = "预警与个案督办",
        ["Reviews"] = "每周晾晒排名、月度评估与年度综合考评输入",
        ["Exports"] = "下载表格（xlsx 或 csv）",
        ["Admin"] = "模拟业务时钟（仅 office）",
        ["Events"] = "实时事件流（Server-Sent Events）",
        ["Page"] = "挂图作战页面",
    };

    /// <inheritdoc />
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
            tag.Description = Described.TryGetValue(tag.Name ?? "", out var text)
                ? text
                : throw new InvalidOperationException($"OpenAPI tag {tag.Name} has no description in {nameof(TagDescriptions)}");
        return Task.CompletedTask;
    }
}
