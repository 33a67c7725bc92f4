using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>The catalog endpoints in the contract's shape.</summary>
public sealed class CatalogApiTests(CatalogApiTests.Host host) : IClassFixture<CatalogApiTests.Host>
{
    public sealed class Host : SiloHost;

    [Fact]
    public async Task Plans_lists_gongshu_2024_with_its_dates()
    {
        var plans = (await host.As("viewer").GetOk("/api/v1/plans")).AsArray();
        var plan = Assert.Single(plans)!;
        Assert.Equal("gongshu-2024", plan["id"].Str());
        Assert.Equal(2024, plan["year"]!.GetValue<int>());
        Assert.Equal("2024-02-28", plan["start"].Str());
        Assert.Equal("2024-11-30T23:59:59+08:00", plan["deadline"].Str());
        Assert.Equal("2024-12-31T23:59:59+08:00", plan["finalDeadline"].Str());
        Assert.False(string.IsNullOrWhiteSpace(plan["title"].Str()));
        Assert.Equal(["id", "title", "year", "start", "deadline", "finalDeadline"], plan.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Plan_has_the_contract_shape_and_ids()
    {
        var plan = await host.As("viewer").GetOk("/api/v1/plans/gongshu-2024");
        // district and region: the plan file's (issue 19), which unit tokens and region roles are scoped by.
        Assert.Equal(["id", "title", "year", "start", "deadline", "finalDeadline", "streets", "departments", "leaders", "projects", "tasks", "district", "region"],
            plan.AsObject().Select(p => p.Key));
        Assert.Equal("gongshu", plan["district"]!["id"].Str());
        Assert.Equal("hangzhou", plan["region"]!["id"].Str());
        Assert.Equal(["tianshui", "shangtang", "wulin", "xiangfu", "changqing", "banshan", "chaoming", "kangqiao", "zhaohui",
            "mishixiang", "wenhui", "hushu", "dongxin", "xiaohe", "shiqiao", "gongchenqiao", "hemu", "daguan"],
            plan["streets"]!.AsArray().Select(s => s!["id"].Str()));
        Assert.Equal("天水", plan["streets"]![0]!["name"].Str());
        Assert.Equal(("gongshu", "拱墅区"), (plan["district"]!["id"].Str(), plan["district"]!["name"].Str()));
        Assert.Equal(("hangzhou", "杭州市"), (plan["region"]!["id"].Str(), plan["region"]!["name"].Str()));
        Assert.Equal(8, plan["departments"]!.AsArray().Count);
        Assert.Equal(["fan-zheng", "jia-yuanyuan", "wang-yiping", "xu-leiting"], plan["leaders"]!.AsArray().Select(l => l!["id"].Str()).Order());
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i.ToString()), plan["projects"]!.AsArray().Select(p => p!["id"].Str()));
        Assert.Equal(22, plan["tasks"]!.AsArray().Count);

        var project = plan["projects"]![0]!;
        Assert.Equal(["id", "name", "summary", "leaders", "leadDepartments", "responsibleUnits", "tasks"], project.AsObject().Select(p => p.Key));
        Assert.Equal(["1.1", "1.2", "1.3"], project["tasks"]!.AsArray().Select(t => t.Str()));

        var task = plan["tasks"]!.AsArray().Single(t => t!["id"].Str() == "5.2")!;
        Assert.Equal(["id", "projectId", "title", "leadDepartment", "metrics", "assignments"], task.AsObject().Select(p => p.Key));
        Assert.Equal("health", task["leadDepartment"].Str());
        Assert.Equal(["screening", "guidance"], task["metrics"]!.AsArray().Select(m => m!["id"].Str()));
        Assert.Equal([20000L, 1500L], task["metrics"]!.AsArray().Select(m => m!["target"]!.GetValue<long>()));
        Assert.Equal(["id", "name", "unit", "target"], task["metrics"]![0]!.AsObject().Select(p => p.Key));
        Assert.Equal(["unitId", "metricId", "target"], task["assignments"]![0]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Unknown_plan_is_404_problem_in_chinese()
    {
        var (status, body) = await host.As("viewer").GetJson("/api/v1/plans/nowhere-1999");
        Assert.Equal(404, status);
        Assert.Equal("planId", body!["field"].Str());
        Assert.Contains("不存在", body["detail"].Str());
    }

    [Fact]
    public async Task Catalog_needs_a_token_but_health_does_not()
    {
        Assert.Equal(401, (await host.As(null).GetJson("/api/v1/plans")).Status);
        Assert.Equal(200, (await host.As(null).GetJson("/health/live")).Status);
        Assert.Equal(200, (await host.As(null).GetJson("/health/ready")).Status);
    }
}
