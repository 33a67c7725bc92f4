using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// An assignment's history in pages: every line and every report answer carries its log position; <c>after</c> and
/// <c>limit</c> page through it in acceptance order with a <c>Link: rel="next"</c> while more remain; bad paging
/// parameters are 400 problems naming the field.
/// </summary>
public sealed class HistoryPagesTests(HistoryPagesTests.Host host) : IClassFixture<HistoryPagesTests.Host>
{
    public sealed class Host : SiloHost;

    private const string Reports = "/api/v1/plans/gongshu-2024/reports";
    private const string History = "/api/v1/plans/gongshu-2024/assignments/3.1/hushu/history";
    private readonly HttpClient _hushu = host.As("street:hushu");

    [Fact]
    public async Task Pages_follow_the_next_link_through_the_whole_history_in_order()
    {
        var positions = new List<long>();
        for (var completed = 1; completed <= 7; completed++)
        {
            var (status, body) = await _hushu.PostJson(Reports, new { reportId = $"page-{completed}", taskId = "3.1", unitId = "hushu", completed });
            Assert.Equal(201, status);
            positions.Add(body!["position"]!.GetValue<long>());
        }
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(positions.Count, positions.Distinct().Count());

        // A retry answers with the same position.
        var retry = await _hushu.PostJson(Reports, new { reportId = "page-3", taskId = "3.1", unitId = "hushu", completed = 3 });
        Assert.Equal(200, retry.Status);
        Assert.Equal(positions[2], retry.Body!["position"]!.GetValue<long>());

        // Without paging parameters: everything, no next link.
        var (all, noNext) = await Page(History);
        Assert.Null(noNext);
        Assert.Equal(positions, all.Select(l => l!["position"]!.GetValue<long>()));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], all.Select(l => l!["completed"]!.GetValue<long>()));

        // Pages of three: 3 + 3 + 1, each pointing at the next until the last.
        var lines = new List<JsonNode?>();
        var pages = new List<int>();
        string? next = $"{History}?limit=3";
        while (next is not null)
        {
            var (page, link) = await Page(next);
            lines.AddRange(page);
            pages.Add(page.Count);
            next = link;
        }
        Assert.Equal([3, 3, 1], pages);
        Assert.Equal(all.Select(l => l.Canonical()), lines.Select(l => l.Canonical()));

        // After the last line: an empty page and no link.
        var (empty, none) = await Page($"{History}?after={positions[^1]}");
        Assert.Empty(empty);
        Assert.Null(none);
        var (tail, _) = await Page($"{History}?after={positions[4]}&limit=10");
        Assert.Equal(positions[5..], tail.Select(l => l!["position"]!.GetValue<long>()));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("after=-1", "after")]
    public async Task Bad_paging_parameters_are_problems_naming_the_field(string query, string field)
    {
        var (status, body) = await _hushu.GetJson($"{History}?{query}");
        Assert.Equal(400, status);
        Assert.Equal(field, body!["field"].Str());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", body["detail"].Str());
    }

    private async Task<(List<JsonNode?> Lines, string? Next)> Page(string url)
    {
        using var response = await _hushu.GetAsync(url);
        Assert.Equal(200, (int)response.StatusCode);
        var lines = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().ToList();
        if (!response.Headers.TryGetValues("Link", out var links)) return (lines, null);
        var link = Assert.Single(links);
        var match = System.Text.RegularExpressions.Regex.Match(link, "^<([^>]+)>; rel=\"next\"$");
        Assert.True(match.Success, link);
        return (lines, match.Groups[1].Value);
    }
}
