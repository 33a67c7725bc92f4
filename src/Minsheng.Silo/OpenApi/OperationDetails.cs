using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Minsheng.Silo.Api;

namespace Minsheng.Silo.OpenApi;

/// <summary>
/// Fills in what endpoint metadata cannot say: path parameters bound through <see cref="PlanRoute"/> (which the
/// framework does not see as <c>{planId}</c>), Chinese descriptions of parameters and of every response status.
/// </summary>
public sealed class OperationDetails : IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, string> Described = new(StringComparer.Ordinal)
    {
        ["planId"] = "计划编号，如 gongshu-2024",
        ["streetId"] = "街道编号",
        ["departmentId"] = "部门编号",
        ["leaderId"] = "区领导编号",
        ["projectId"] = "项目编号",
        ["taskId"] = "任务编号，如 4.2",
        ["unitId"] = "单位编号：街道编号，或 district（区级）",
        ["caseId"] = "督办件编号",
        ["isoWeek"] = "ISO 周，如 2024-W23",
        ["month"] = "月份 yyyy-MM",
        ["asOf"] = "时点（ISO 8601，带时区偏移，如 2024-07-01T00:00:00+08:00）：按该时点已接受的上报计算；省略为当前",
        ["format"] = "下载格式：xlsx（默认）或 csv",
        ["state"] = "按督办件状态筛选",
        ["Last-Event-ID"] = "断线前收到的最后一个事件的 id：续传其后的事件（无法续传时先发 resync 再发 snapshot）",
    };

    /// <inheritdoc />
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.RelativePath is { } path)
        {
            var present = (operation.Parameters ?? []).Where(p => p.In == ParameterLocation.Path).Select(p => p.Name).ToHashSet();
            var missing = Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse(path).Parameters
                .Where(p => !present.Contains(p.Name)).Select(p => p.Name).ToList();
            if (missing.Count > 0)
            {
                operation.Parameters ??= [];
                for (var i = 0; i < missing.Count; i++)
                    operation.Parameters.Insert(i, new OpenApiParameter
                    {
                        Name = missing[i],
                        In = ParameterLocation.Path,
                        Required = true,
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    });
            }
        }
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
            if (Described.TryGetValue(parameter.Name ?? "", out var text)) parameter.Description = text;
        foreach (var (status, response) in operation.Responses ?? [])
            if (response is OpenApiResponse described && int.TryParse(status, out var code)) described.Description = Describe(code);
        return Task.CompletedTask;
    }

    private static string Describe(int status) => status switch
    {
        200 => "成功",
        201 => "已创建",
        304 => "未修改（与 If-None-Match 相同）",
        _ => Problems.TitleOf(status),
    };
}
