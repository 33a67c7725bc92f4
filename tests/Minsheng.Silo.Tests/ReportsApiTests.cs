using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>The reporting contract: cumulative counts, idempotent retries, corrections, over-completion, roles.</summary>
public sealed class ReportsApiTests(ReportsApiTests.Host host) : IClassFixture<ReportsApiTests.Host>
{
    public sealed class Host : SiloHost;

    private const string Reports = "/api/v1/plans/gongshu-2024/reports";
    private readonly HttpClient _shangtang = host.As("street:shangtang");

    [Fact]
    public async Task Accepted_report_answers_201_with_the_contract_fields()
    {
        var (status, body) = await _shangtang.PostJson(Reports, new { reportId = "r-201", taskId = "4.1", unitId = "shangtang", completed = 1 });

        Assert.Equal(201, status);
        Assert.Equal("r-201", body!["reportId"].Str());
        Assert.Equal("4.1", body["taskId"].Str());
        Assert.Equal("shangtang", body["unitId"].Str());
        Assert.Equal("main", body["metricId"].Str());
        Assert.Equal(1, body["completed"]!.GetValue<long>());
        Assert.Equal(1, body["target"]!.GetValue<long>());
        Assert.Equal("done", body["status"].Str());
        Assert.Equal(1, body["version"]!.GetValue<long>());
        Assert.EndsWith("+08:00", body["recordedAt"].Str());
    }

    [Fact]
    public async Task Retry_with_same_id_and_body_answers_200_with_the_first_answer_and_changes_nothing()
    {
        var report = new { reportId = "r-retry", taskId = "9.1", unitId = "shangtang", completed = 1 };
        var first = await _shangtang.PostJson(Reports, report);
        var second = await _shangtang.PostJson(Reports, report);

        Assert.Equal(201, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(first.Body.Canonical(), second.Body.Canonical());
        var history = await _shangtang.GetOk("/api/v1/plans/gongshu-2024/assignments/9.1/shangtang/history");
        Assert.Single(history.AsArray());
    }

    [Fact]
    public async Task Same_id_with_another_body_is_409_and_changes_nothing()
    {
        await _shangtang.PostJson(Reports, new { reportId = "r-409", taskId = "6.1", unitId = "shangtang", completed = 1 });
        var before = await _shangtang.GetOk("/api/v1/plans/gongshu-2024/streets/shangtang");

        var (status, body) = await _shangtang.PostJson(Reports, new { reportId = "r-409", taskId = "6.1", unitId = "shangtang", completed = 2 });

        Assert.Equal(409, status);
        Assert.Equal("reportId", body!["field"].Str());
        Assert.Equal(before.Canonical(), (await _shangtang.GetOk("/api/v1/plans/gongshu-2024/streets/shangtang")).Canonical());
    }

    [Fact]
    public async Task Lower_number_is_422_unless_a_correction_with_a_reason()
    {
        Assert.Equal(201, (await _shangtang.PostJson(Reports, new { reportId = "c-1", taskId = "6.2", unitId = "shangtang", completed = 3 })).Status);

        var lower = await _shangtang.PostJson(Reports, new { reportId = "c-2", taskId = "6.2", unitId = "shangtang", completed = 2 });
        Assert.Equal(422, lower.Status);
        Assert.Equal("completed", lower.Body!["field"].Str());

        var noReason = await _shangtang.PostJson(Reports, new { reportId = "c-3", taskId = "6.2", unitId = "shangtang", completed = 2, correction = true });
        Assert.Equal(400, noReason.Status);
        Assert.Equal("reason", noReason.Body!["field"].Str());

        var corrected = await _shangtang.PostJson(Reports, new { reportId = "c-4", taskId = "6.2", unitId = "shangtang", completed = 2, correction = true, reason = "重复统计" });
        Assert.Equal(201, corrected.Status);
        Assert.Equal(2, corrected.Body!["completed"]!.GetValue<long>());
        Assert.Equal(2, corrected.Body["version"]!.GetValue<long>());

        var history = (await _shangtang.GetOk("/api/v1/plans/gongshu-2024/assignments/6.2/shangtang/history")).AsArray();
        Assert.Equal(2, history.Count);
        Assert.Equal(3, history[1]!["previous"]!.GetValue<long>());
        Assert.True(history[1]!["correction"]!.GetValue<bool>());
        Assert.Equal("重复统计", history[1]!["reason"].Str());
        Assert.Equal("street:shangtang", history[1]!["by"].Str());
    }

    [Fact]
    public async Task Over_completion_is_accepted_and_shown_as_it_is_but_ratio_is_capped()
    {
        // 9.2 has no shangtang target; 4.2 shangtang target is 9 户.
        var (status, body) = await _shangtang.PostJson(Reports, new { reportId = "o-1", taskId = "4.2", unitId = "shangtang", completed = 12 });
        Assert.Equal(201, status);
        Assert.Equal(12, body!["completed"]!.GetValue<long>());
        Assert.Equal(9, body["target"]!.GetValue<long>());

        var street = await _shangtang.GetOk("/api/v1/plans/gongshu-2024/streets/shangtang");
        var row = street["assignments"]!.AsArray().Single(a => a!["taskId"].Str() == "4.2")!;
        Assert.Equal(12, row["completed"]!.GetValue<long>());
        Assert.Equal(1m, row["ratio"].Dec());
        Assert.Equal("done", row["status"].Str());
    }

    [Fact]
    public async Task Task_with_two_metrics_requires_metricId()
    {
        var client = host.As("street:changqing");
        var (status, body) = await client.PostJson(Reports, new { reportId = "m-1", taskId = "5.2", unitId = "changqing", completed = 10 });
        Assert.Equal(400, status);
        Assert.Equal("metricId", body!["field"].Str());

        var ok = await client.PostJson(Reports, new { reportId = "m-2", taskId = "5.2", unitId = "changqing", metricId = "guidance", completed = 10 });
        Assert.Equal(201, ok.Status);
        Assert.Equal(400, ok.Body!["target"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(null, "4.1", "shangtang", 401)]
    [InlineData("viewer", "4.1", "shangtang", 403)]
    [InlineData("street:wulin", "4.1", "shangtang", 403)]
    [InlineData("street:shangtang", "7.1", "district", 403)]
    [InlineData("department:education", "4.1", "shangtang", 403)]
    [InlineData("department:health", "7.1", "district", 403)]
    public async Task Wrong_caller_is_refused_and_changes_nothing(string? role, string taskId, string unitId, int expected)
    {
        var office = host.As("office");
        var history = $"/api/v1/plans/gongshu-2024/assignments/{taskId}/{unitId}/history";
        var before = (await office.GetOk(history)).Canonical();

        var (status, body) = await host.As(role).PostJson(Reports, new { reportId = $"deny-{role}-{taskId}", taskId, unitId, completed = 1 });

        Assert.Equal(expected, status);
        Assert.NotNull(body!["detail"]);
        Assert.Equal(before, (await office.GetOk(history)).Canonical());
    }

    [Fact]
    public async Task Department_reports_the_district_level_of_a_task_it_leads()
    {
        var (status, body) = await host.As("department:education").PostJson(Reports, new { reportId = "d-1", taskId = "7.1", unitId = "district", completed = 2 });
        Assert.Equal(201, status);
        Assert.Equal(4, body!["target"]!.GetValue<long>());
        var history = (await host.As("viewer").GetOk("/api/v1/plans/gongshu-2024/assignments/7.1/district/history")).AsArray();
        Assert.Equal("department:education", history.Single()!["by"].Str());
    }

    [Fact]
    public async Task Unknown_fields_and_wrong_types_are_named()
    {
        var unknown = await _shangtang.PostRaw(Reports, """{"reportId":"u-1","taskId":"4.1","unitId":"shangtang","completed":1,"delta":5}""");
        Assert.Equal(400, unknown.Status);
        Assert.Equal("delta", unknown.Body!["field"].Str());

        var fractional = await _shangtang.PostRaw(Reports, """{"reportId":"u-2","taskId":"4.1","unitId":"shangtang","completed":1.5}""");
        Assert.Equal(400, fractional.Status);
        Assert.Equal("completed", fractional.Body!["field"].Str());

        var negative = await _shangtang.PostJson(Reports, new { reportId = "u-3", taskId = "4.1", unitId = "shangtang", completed = -1 });
        Assert.Equal(400, negative.Status);
        Assert.Equal("completed", negative.Body!["field"].Str());
    }
}
