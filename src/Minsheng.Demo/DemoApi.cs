using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Minsheng.Demo;

/// <summary>
/// The demo's HTTP client of the host's own public API: every call carries the bearer token of the role that would
/// make it in real use, and a 429 is waited out as its Retry-After says.
/// </summary>
public sealed class DemoApi(HttpClient http, DemoTokens tokens, string planId)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The office's role and demo person.</summary>
    public const string Office = "office";

    private const string OfficePerson = "演示-区府办";

    private string Plan => $"/api/v1/plans/{Uri.EscapeDataString(planId)}";

    /// <summary>True once <c>/health/ready</c> answers 200.</summary>
    public async Task<bool> Ready(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync("/health/ready", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Moves the simulated clock (office).</summary>
    public Task<HttpResponseMessage> MoveClock(DateTimeOffset now, CancellationToken cancellationToken) =>
        Send(HttpMethod.Post, "/api/v1/admin/clock", Office, OfficePerson, new { now = now.ToString("yyyy-MM-ddTHH:mm:sszzz") }, cancellationToken);

    /// <summary>Posts one report as the assignment's owner.</summary>
    public Task<HttpResponseMessage> Report(DemoAssignment a, DemoReport r, CancellationToken cancellationToken) =>
        Send(HttpMethod.Post, $"{Plan}/reports", a.Owner.Role, a.Owner.Person, new
        {
            reportId = r.ReportId,
            taskId = a.TaskId,
            unitId = a.UnitId,
            metricId = a.MetricId,
            completed = r.Completed,
            note = r.Note,
            correction = r.Correction ? true : (bool?)null,
            reason = r.Reason,
        }, cancellationToken);

    /// <summary>Sets a schedule (倒排计划) as the assignment's owner.</summary>
    public Task<HttpResponseMessage> Schedule(DemoSchedule s, CancellationToken cancellationToken) =>
        Send(HttpMethod.Put, $"{Plan}/assignments/{Uri.EscapeDataString(s.Assignment.TaskId)}/{Uri.EscapeDataString(s.Assignment.UnitId)}/schedule",
            s.Assignment.Owner.Role, s.Assignment.Owner.Person, new
            {
                metricId = s.Assignment.MetricId,
                milestones = s.Milestones.Select(m => new { date = m.Date.ToString("yyyy-MM-dd"), completed = m.Completed }).ToList(),
            }, cancellationToken);

    /// <summary>A lead department's response (承办反馈) to a case.</summary>
    public Task<HttpResponseMessage> Respond(string caseId, string departmentRole, string person, string text, DateOnly promised,
        CancellationToken cancellationToken) =>
        Send(HttpMethod.Post, $"{Plan}/cases/{Uri.EscapeDataString(caseId)}/responses", departmentRole, person,
            new { text, promisedDate = promised.ToString("yyyy-MM-dd") }, cancellationToken);

    /// <summary>Reads a JSON view of the plan as the office (<c>rollup</c>, <c>alerts</c>, <c>cases?state=open</c>).</summary>
    public Task<JsonNode?> Read(string relative, CancellationToken cancellationToken) => ReadPath($"{Plan}/{relative}", cancellationToken);

    /// <summary>Reads any JSON resource of the API as the office; null when it does not answer 2xx.</summary>
    public async Task<JsonNode?> ReadPath(string path, CancellationToken cancellationToken)
    {
        using var response = await Send(HttpMethod.Get, path, Office, OfficePerson, null, cancellationToken);
        if (!response.IsSuccessStatusCode) return null;
        return await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string role, string person, object? body,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.For(role, person));
            if (body is not null) request.Content = JsonContent.Create(body, options: Json);
            var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= 5) return response;
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait, cancellationToken);
        }
    }
}
