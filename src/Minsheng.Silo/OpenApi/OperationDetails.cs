using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Minsheng.Silo.Api;

namespace Minsheng.Silo.OpenApi;

/// <summary>
/// Fills in what endpoint metadata cannot say: path parameters bound through <see cref="PlanRoute"/> (which the
/// framework does not see as <c>{planId}</c>) and Chinese descriptions of every response status.
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
        ["month"] = "月份 yyyy-MM，或 final",
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
            if (parameter.In == ParameterLocation.Path && Described.TryGetValue(parameter.Name ?? "", out var text)) parameter.Description = text;
        foreach (var (status, response) in operation.Responses ?? [])
            if (response is OpenApiResponse described && int.TryParse(status, out var code)) described.Description = Describe(code);
        return Task.CompletedTask;
    }

    private static string Describe(int status) => status switch
    {
        200 => "成功",
        201 => "已创建",
        _ => Problems.TitleOf(status),
    };
}
