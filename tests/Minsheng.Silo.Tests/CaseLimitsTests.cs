using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>A case holds a bounded number and size of responses, and its responses read a page at a time.</summary>
public sealed class CaseLimitsTests
{
    private const string Plan = "/api/v1/plans/gongshu-2024";

    private sealed class SmallCasesHost : SiloHost
    {
        public SmallCasesHost()
        {
            With("Minsheng:Clock:Mode", "Simulated");
            With("Minsheng:Alerts:MaxCaseResponses", "3");
            With("Minsheng:Alerts:MaxCaseResponseCharacters", "25");
        }
    }

    [Fact]
    public async Task Responses_stop_at_the_configured_count_and_size_and_the_case_is_unchanged_by_the_refusal()
    {
        await using var host = new SmallCasesHost();
        var office = host.As("office");
        var lead = host.As("department:civil-affairs");
        var opened = await office.PostJson($"{Plan}/cases", new { taskId = "4.2", unitId = "wulin", reason = "进度滞后" });
        Assert.Equal(201, opened.Status);
        var id = opened.Body!["id"].Str();

        for (var i = 1; i <= 2; i++)
            Assert.Equal(200, (await lead.PostJson($"{Plan}/cases/{id}/responses", new { text = $"第{i}次反馈", promisedDate = "2024-06-30" })).Status);

        // 10 of 25 characters used: 16 more would exceed the total.
        var tooLong = await lead.PostJson($"{Plan}/cases/{id}/responses", new { text = new string('长', 16), promisedDate = "2024-06-30" });
        Assert.Equal(422, tooLong.Status);
        Assert.Equal("text", tooLong.Body!["field"].Str());
        Assert.Contains("25", tooLong.Body["reason"].Str());

        Assert.Equal(200, (await lead.PostJson($"{Plan}/cases/{id}/responses", new { text = "第3次", promisedDate = "2024-07-31" })).Status);
        var before = (await office.GetOk($"{Plan}/cases/{id}")).Canonical();
        var fourth = await lead.PostJson($"{Plan}/cases/{id}/responses", new { text = "第4次", promisedDate = "2024-07-31" });
        Assert.Equal(422, fourth.Status);
        Assert.Equal("text", fourth.Body!["field"].Str());
        Assert.Contains("上限 3", fourth.Body["reason"].Str());
        Assert.Equal(before, (await office.GetOk($"{Plan}/cases/{id}")).Canonical());
    }

    [Fact]
    public async Task Responses_read_a_page_at_a_time()
    {
        await using var host = new SiloHost().With("Minsheng:Clock:Mode", "Simulated");
        var office = host.As("office");
        var lead = host.As("department:civil-affairs");
        var id = (await office.PostJson($"{Plan}/cases", new { taskId = "4.2", unitId = "wulin", reason = "进度滞后" })).Body!["id"].Str();
        for (var i = 1; i <= 5; i++)
            Assert.Equal(200, (await lead.PostJson($"{Plan}/cases/{id}/responses", new { text = $"反馈{i}", promisedDate = "2024-06-30" })).Status);

        var page = await office.GetOk($"{Plan}/cases/{id}/responses?offset=1&limit=2");
        Assert.Equal(5, page["total"]!.GetValue<int>());
        Assert.Equal(["反馈2", "反馈3"], page["items"]!.AsArray().Select(r => r!["text"].Str()));
        var last = await office.GetOk($"{Plan}/cases/{id}/responses?offset=4");
        Assert.Equal(["反馈5"], last["items"]!.AsArray().Select(r => r!["text"].Str()));

        Assert.Equal(400, (await office.GetJson($"{Plan}/cases/{id}/responses?limit=0")).Status);
        Assert.Equal(400, (await office.GetJson($"{Plan}/cases/{id}/responses?limit=101")).Status);
        Assert.Equal(400, (await office.GetJson($"{Plan}/cases/{id}/responses?offset=-1")).Status);
        Assert.Equal(404, (await office.GetJson($"{Plan}/cases/no-such-case/responses")).Status);
    }
}
