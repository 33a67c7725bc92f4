using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests.OpenApi;

/// <summary>
/// Real answers of the service, successes and problems, validate against the schemas the OpenAPI document gives for
/// them (JsonSchema.Net), so a client generated from the document reads what the service says.
/// </summary>
public sealed class OpenApiAnswersTests(OpenApiAnswersTests.Host host) : IClassFixture<OpenApiAnswersTests.Host>
{
    public sealed class Host : SiloHost;

    private const string Plan = "/api/v1/plans/gongshu-2024";

    [Fact]
    public async Task Successful_answers_match_the_document()
    {
        var contract = await OpenApiContract.Load(host.CreateClient());
        var street = host.As("street:shangtang");
        var office = host.As("office");

        await Check(contract, street, HttpMethod.Get, "/api/v1/plans", expect: 200);
        var plan = await Check(contract, street, HttpMethod.Get, Plan, expect: 200);
        var report = new { reportId = "oa-1", taskId = "4.1", unitId = "shangtang", completed = 1, note = "首次上报", evidence = new[] { "https://example.org/photos/1.jpg" } };
        await Check(contract, street, HttpMethod.Post, $"{Plan}/reports", report, expect: 201);
        await Check(contract, street, HttpMethod.Post, $"{Plan}/reports", report, expect: 200);
        await Check(contract, street, HttpMethod.Get, $"{Plan}/rollup", expect: 200);
        await Check(contract, street, HttpMethod.Get, $"{Plan}/rollup?asOf=2024-07-01T00:00:00%2B08:00", expect: 200);
        await Check(contract, street, HttpMethod.Get, $"{Plan}/streets/shangtang", expect: 200);
        await Check(contract, street, HttpMethod.Get, $"{Plan}/departments/education", expect: 200);
        await Check(contract, street, HttpMethod.Get, $"{Plan}/leaders/{plan!["leaders"]![0]!["id"].Str()}", expect: 200);
        await Check(contract, street, HttpMethod.Get, $"{Plan}/projects/{plan["projects"]![0]!["id"].Str()}", expect: 200);
        await Check(contract, street, HttpMethod.Get, $"{Plan}/assignments/4.1/shangtang/history", expect: 200);
        await Check(contract, street, HttpMethod.Put, $"{Plan}/assignments/4.2/shangtang/schedule",
            new { milestones = new[] { new { date = "2024-09-30", completed = 9L } } }, expect: 200);
        await Check(contract, street, HttpMethod.Get, $"{Plan}/alerts", expect: 200);
        await Check(contract, street, HttpMethod.Get, $"{Plan}/supervision", expect: 200);
        await Check(contract, street, HttpMethod.Get, $"{Plan}/reviews", expect: 200);
        var opened = await Check(contract, office, HttpMethod.Post, $"{Plan}/cases", new { taskId = "4.2", unitId = "wulin", reason = "进度滞后，手动督办" }, expect: 201);
        var caseId = opened!["id"].Str();
        await Check(contract, street, HttpMethod.Get, $"{Plan}/cases", expect: 200);
        await Check(contract, street, HttpMethod.Get, $"{Plan}/cases/{caseId}", expect: 200);
        await Check(contract, street, HttpMethod.Get, $"{Plan}/cases/{caseId}/responses", expect: 200);
        await Check(contract, office, HttpMethod.Post, $"{Plan}/cases/{caseId}/close", new { reason = "已整改" }, expect: 200);
        await Check(contract, office, HttpMethod.Get, "/api/v1/admin/clock", expect: 200);
        await Check(contract, host.As(null), HttpMethod.Get, "/health/live", expect: 200);
        await Check(contract, host.As(null), HttpMethod.Get, "/health/ready", expect: 200);
    }

    [Fact]
    public async Task Problem_answers_match_the_document()
    {
        var contract = await OpenApiContract.Load(host.CreateClient());
        var street = host.As("street:shangtang");

        await Check(contract, street, HttpMethod.Post, $"{Plan}/reports",
            new { reportId = "oa-bad", taskId = "4.1", unitId = "shangtang", completed = 1, colour = "red" }, expect: 400);
        await Check(contract, street, HttpMethod.Get, "/api/v1/plans/no-such-plan/rollup", expect: 404);
        await Check(contract, street, HttpMethod.Get, $"{Plan}/streets/no-such-street", expect: 404);
        await Check(contract, street, HttpMethod.Get, $"{Plan}/rollup?asOf=yesterday", expect: 400);
        await Check(contract, host.As(null), HttpMethod.Get, $"{Plan}/rollup", expect: 401);
        await Check(contract, host.As("viewer"), HttpMethod.Post, $"{Plan}/reports",
            new { reportId = "oa-viewer", taskId = "4.1", unitId = "shangtang", completed = 1 }, expect: 403);
        await Check(contract, street, HttpMethod.Post, $"{Plan}/cases", new { taskId = "4.2", unitId = "wulin", reason = "越权" }, expect: 403);
        await Check(contract, street, HttpMethod.Post, $"{Plan}/reports", new { reportId = "oa-409", taskId = "6.1", unitId = "shangtang", completed = 1 }, expect: 201);
        await Check(contract, street, HttpMethod.Post, $"{Plan}/reports", new { reportId = "oa-409", taskId = "6.1", unitId = "shangtang", completed = 2 }, expect: 409);

        using var plain = new HttpRequestMessage(HttpMethod.Post, $"{Plan}/reports") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "text/plain") };
        await Answer(contract, street, plain, expect: 415);
    }

    [Fact]
    public async Task Exports_answer_a_media_type_the_document_lists()
    {
        var contract = await OpenApiContract.Load(host.CreateClient());
        foreach (var format in new[] { "csv", "xlsx" })
        {
            using var response = await host.As("viewer").GetAsync($"{Plan}/exports/breakdown?format={format}");
            Assert.Equal(200, (int)response.StatusCode);
            var media = response.Content.Headers.ContentType!.MediaType!;
            var content = contract.Document["paths"]!["/api/v1/plans/{planId}/exports/breakdown"]!["get"]!["responses"]!["200"]!["content"]!.AsObject();
            Assert.True(content.Any(c => c.Key.Split(';')[0].Trim() == media), $"{media} is not among {string.Join(", ", content.Select(c => c.Key))}");
        }
    }

    /// <summary>
    /// Events of the stream, as envelopes (<c>event</c>, <c>id</c>, <c>data</c>), match the document's schema of one event
    /// (<c>PlanStreamEvent</c>): a snapshot, an accepted report's progress, and a resync after an unknown id.
    /// </summary>
    [Fact]
    public async Task Stream_events_match_the_document()
    {
        var contract = await OpenApiContract.Load(host.CreateClient());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<SseEvent>();
        using (var stream = await OpenEvents(host.As("viewer"), null, timeout.Token))
        {
            seen.Add(await stream.Next(timeout.Token));
            var street = host.As("street:gongchenqiao");
            Assert.Equal(201, (await street.PostJson($"{Plan}/reports", new { reportId = "oa-sse-1", taskId = "4.1", unitId = "gongchenqiao", completed = 1 })).Status);
            seen.AddRange(await stream.Until(e => e.Kind == "progress" && e.Data["reportId"].Str() == "oa-sse-1", timeout.Token));
        }
        using (var stream = await OpenEvents(host.As("viewer"), "0badf00d-1", timeout.Token))
        {
            seen.Add(await stream.Next(timeout.Token));
            seen.Add(await stream.Next(timeout.Token));
        }
        Assert.Equal(["snapshot", "progress", "resync", "snapshot"], seen.Select(e => e.Kind).Where(k => k is "snapshot" or "progress" or "resync"));
        foreach (var e in seen)
        {
            var envelope = new JsonObject { ["event"] = e.Kind, ["id"] = e.Id, ["data"] = JsonNode.Parse(e.Data.ToJsonString()) };
            contract.AssertValid("GET", $"{Plan}/events", 200, "text/event-stream", envelope.ToJsonString());
        }
        // The check is not vacuous: an event whose data does not fit its name is refused.
        var wrong = new JsonObject { ["event"] = "progress", ["id"] = "x-1", ["data"] = JsonNode.Parse(seen[0].Data.ToJsonString()) };
        Assert.Throws<Xunit.Sdk.XunitException>(() => contract.AssertValid("GET", $"{Plan}/events", 200, "text/event-stream", wrong.ToJsonString()));
    }

    private static async Task<SseReader> OpenEvents(HttpClient client, string? lastEventId, CancellationToken token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Plan}/events");
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseReader(await response.Content.ReadAsStreamAsync(token));
    }

    /// <summary>Guards against a vacuous pass: answers the document does not allow are refused by the same check.</summary>
    [Fact]
    public async Task Answers_that_break_the_document_are_refused()
    {
        var contract = await OpenApiContract.Load(host.CreateClient());
        Assert.Throws<Xunit.Sdk.XunitException>(() => contract.AssertValid("GET", $"{Plan}/rollup", 404, "application/problem+json",
            """{"type":"https://httpstatuses.io/404","title":"未找到","status":404,"detail":"字段 planId：不存在","field":"planId"}"""));
        Assert.Throws<Xunit.Sdk.XunitException>(() => contract.AssertValid("GET", $"{Plan}/rollup", 200, "application/json",
            """{"planId":"gongshu-2024","asOf":"2024-07-01T00:00:00+08:00","ratio":"0.5","counts":{},"projects":[]}"""));
        Assert.Throws<Xunit.Sdk.XunitException>(() => contract.AssertValid("POST", $"{Plan}/reports", 201, "application/json",
            """{"reportId":"r","taskId":"4.1","unitId":"shangtang","metricId":"main","completed":1,"target":1,"status":"done","version":1,"recordedAt":"2024-07-01T00:00:00+08:00","extra":1}"""));
    }

    private static async Task<JsonNode?> Check(OpenApiContract contract, HttpClient client, HttpMethod method, string url, object? body = null, int expect = 200)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await Answer(contract, client, request, expect);
    }

    private static async Task<JsonNode?> Answer(OpenApiContract contract, HttpClient client, HttpRequestMessage request, int expect)
    {
        var url = request.RequestUri!.OriginalString;
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expect, $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}, expected {expect}: {text}");
        contract.AssertValid(request.Method.Method, url, expect, response.Content.Headers.ContentType?.MediaType, text);
        return JsonNode.Parse(text);
    }
}
