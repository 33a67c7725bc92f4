using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// Read-your-writes: a report's answer carries its log position, and every rollup view asked with <c>?after=</c> that
/// position answers only once it includes the report, with no polling and no settle call. Bad positions are 400
/// problems naming <c>after</c>.
/// </summary>
public sealed class ReadYourWritesTests(ReadYourWritesTests.Host host) : IClassFixture<ReadYourWritesTests.Host>
{
    public sealed class Host : SiloHost;

    private const string Plan = "/api/v1/plans/gongshu-2024";
    private readonly HttpClient _tianshui = host.As("street:tianshui");
    private readonly HttpClient _office = host.As("office");

    /// <summary>Every view that holds task 3.1 for 天水, with how to find its count there.</summary>
    public static TheoryData<string> Views => new()
    {
        "/rollup", "/streets/tianshui", "/departments/health", "/leaders/wang-yiping", "/projects/3",
    };

    [Theory]
    [MemberData(nameof(Views))]
    public async Task Each_view_read_after_a_report_includes_it_every_time(string view)
    {
        for (var round = 0; round < 12; round++)
        {
            var completed = Next();
            var (status, answer) = await _tianshui.PostJson($"{Plan}/reports",
                new { reportId = $"ryw-{view.Replace('/', '-')}-{round}", taskId = "3.1", unitId = "tianshui", completed });
            Assert.Equal(201, status);
            var position = answer!["position"]!.GetValue<long>();
            Assert.True(position > 0);

            var read = await _office.GetOk($"{Plan}{view}?after={position}");
            Assert.Equal(completed, CountIn(read));
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("987654321")]
    public async Task A_position_that_names_no_report_is_a_problem_naming_after(string after)
    {
        foreach (var view in new[] { "/rollup", "/streets/tianshui", "/projects/3" })
        {
            var (status, problem) = await _office.GetJson($"{Plan}{view}?after={after}");
            Assert.Equal(400, status);
            Assert.Equal("after", problem!["field"].Str());
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem["detail"].Str());
        }
    }

    private static long _next;

    /// <summary>Strictly increasing counts for 3.1/天水 across the class's tests (they share one silo).</summary>
    private static long Next() => Interlocked.Increment(ref _next);

    /// <summary>The count of 3.1/天水 in any of the views: an assignment line, or the plan rollup's metric sum.</summary>
    private static long CountIn(JsonNode view)
    {
        if (view["assignments"] is JsonArray assignments)
            return assignments.Single(a => a!["taskId"].Str() == "3.1" && a["unitId"].Str() == "tianshui")!["completed"]!.GetValue<long>();
        var task = view["projects"]!.AsArray().Single(p => p!["id"].Str() == "3")!["tasks"]!.AsArray().Single(t => t!["id"].Str() == "3.1")!;
        return task["metrics"]!.AsArray().Single()!["completed"]!.GetValue<long>();
    }
}
