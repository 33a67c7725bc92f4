using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Minsheng.Silo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Minsheng.Silo.Tests.Properties;

/// <summary>
/// Sends generated mutations of valid bodies to one running service (in-process or a silo process) and checks the
/// contract for each: never a 5xx; a 4xx is a problem naming a field; a refusal changes nothing that is watched; an
/// acceptance has its history line. The service is stateful, so the runner keeps what it needs to build a valid body
/// (current counts, the live case, the clock) and the last settled state to compare against.
/// </summary>
public sealed class MutationRunner(Func<string, HttpClient> connect, Func<Task> settle, ITestOutputHelper output)
{
    private const string Plan = "/api/v1/plans/gongshu-2024";
    private const string Clock = "/api/v1/admin/clock";

    /// <summary>Assignments reports and schedules are sent for: (task, unit, metric, role).</summary>
    private static readonly (string Task, string Unit, string Metric, string Role)[] Targets =
    [
        ("4.2", "shangtang", "main", "street:shangtang"),
        ("4.1", "shangtang", "main", "street:shangtang"),
        ("7.1", "district", "main", "department:education"),
        ("5.2", "changqing", "screening", "street:changqing"),
        ("5.2", "changqing", "guidance", "street:changqing"),
    ];

    private readonly Dictionary<string, HttpClient> _clients = new();
    private readonly Dictionary<(string Task, string Unit, string Metric), long> _completed = new();
    private readonly List<string> _failures = new();
    private readonly Dictionary<string, int> _statuses = new();
    private JsonNode _plan = null!;
    private List<(string Task, string Unit, string Lead)> _caseTargets = null!;
    private int _nextCaseTarget;
    private string _liveCase = "";
    private string _liveCaseLead = "";
    private Dictionary<string, string>? _settled;
    private string _previous = "(setup)";
    private bool _lastFailed;
    private bool _throw;
    private int _unanswerable;
    private TimeSpan _settling;
    private int _serial;

    private HttpClient As(string role) => _clients.TryGetValue(role, out var c) ? c : _clients[role] = connect(role);

    /// <summary>Runs <paramref name="iterations"/> mutations of <paramref name="family"/> from a fixed seed.</summary>
    public async Task Run(Family family, int iterations, string seed)
    {
        await Setup();
        var watch = Stopwatch.StartNew();
        // Pass 1 sends every input and records each failure: CsCheck skips inputs larger than a failure once it has
        // one, and here every class of defect should be seen, not only the smallest.
        // The inputs of pass 1 are one sample of an array drawn from the fixed seed: the same inputs on every run.
        _throw = false;
        // Then every control character and every extreme date or instant once (last: an instant at the end of time
        // may take the whole service down).
        var inputs = CsCheck.Check.Single(Mutation.Of(family).Array[iterations], _ => true, seed).Concat(Edges(family)).ToList();
        foreach (var input in inputs) await One(input);
        output.WriteLine($"{family}: {inputs.Count} inputs in {watch.Elapsed.TotalSeconds:F1} s ({_settling.TotalSeconds:F1} s waiting for the rollup; {_unanswerable} not sent: the service no longer answered); answers {string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        if (_failures.Count == 0) return;
        var seen = _failures.ToList();
        output.WriteLine($"{seen.Count} failing input(s), in the order sent (first 60):");
        foreach (var f in seen.Take(60)) output.WriteLine(f);

        // Pass 2 lets CsCheck search from the same seed with failing asserts and shrink to the smallest failing input it
        // finds (its later inputs are CsCheck's own; the seed it prints reproduces the shrunk one).
        _throw = true;
        _failures.Clear();
        _unanswerable = 0;
        string shrunk;
        try
        {
            await Mutation.Of(family).SampleAsync(One, seed: seed, iter: Math.Min(iterations, 25), threads: 1);
            shrunk = _unanswerable > 0
                ? $"(none: the service no longer answered for {_unanswerable} of the inputs of pass 2)"
                : "(none: CsCheck's inputs of pass 2 happened to break nothing; the inputs of pass 1 above are the record)";
        }
        catch (CsCheckException e) { shrunk = $"{e.Message}\n{e.InnerException?.Message}"; }
        output.WriteLine($"shrunk by CsCheck: {shrunk}");
        throw new Xunit.Sdk.XunitException($"{family}: {seen.Count} of {inputs.Count} inputs broke the contract (all listed in the output).\n" +
            $"Smallest after shrinking: {shrunk}\nFirst seen: {seen[0]}");
    }

    /// <summary>Each control character in each text field, then each extreme date or instant, on the valid bodies in turn.</summary>
    private static IEnumerable<Mutation> Edges(Family family) =>
        Enumerable.Range(0, 8).SelectMany(field => Enumerable.Range(0, Payloads.EdgeControlChars)
                .Select(c => new Mutation(family, field + c, Op.ControlChar, field, c, field * 7 + c)))
            .Concat(Enumerable.Range(0, Math.Max(Payloads.Dates.Length, Payloads.Instants.Length)).Reverse()
                .Select(i => new Mutation(family, 3 * i + 1, Op.Extreme, 0, i, 0)));

    private async Task Setup()
    {
        _plan = await As("office").GetOk(Plan);
        foreach (var t in Targets) _completed[(t.Task, t.Unit, t.Metric)] = 0;
        // Every target starts at 1, so a correction (one lower, with a reason) is a valid body too.
        foreach (var t in Targets)
        {
            var (status, body) = await As(t.Role).PostJson($"{Plan}/reports",
                new { reportId = $"prop-setup-{t.Task}-{t.Unit}-{t.Metric}", taskId = t.Task, unitId = t.Unit, metricId = t.Metric, completed = 1 });
            Assert.True(status == 201, $"setup report {t} answered {status}: {body.Canonical()}");
            _completed[(t.Task, t.Unit, t.Metric)] = 1;
        }
        // Cases go to street assignments of tasks led by known departments; one is kept open for responses and closing.
        _caseTargets = _plan["tasks"]!.AsArray()
            .SelectMany(t => t!["assignments"]!.AsArray()
                .Where(a => a!["unitId"].Str() != "district" && a["metricId"].Str() == "main")
                .Select(a => (Task: t["id"].Str(), Unit: a!["unitId"].Str(), Lead: t["leadDepartment"].Str())))
            .Where(c => !Targets.Any(x => x.Task == c.Task && x.Unit == c.Unit))
            .ToList();
        await OpenLiveCase();
        _settled = await Settle();
    }

    private async Task OpenLiveCase()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var c = _caseTargets[_nextCaseTarget++ % _caseTargets.Count];
            var (status, body) = await As("office").PostJson($"{Plan}/cases", new { taskId = c.Task, unitId = c.Unit, reason = "属性测试督办" });
            if (status == 201)
            {
                _liveCase = body!["id"].Str();
                _liveCaseLead = c.Lead;
                return;
            }
        }
        throw new InvalidOperationException("could not open a live case");
    }

    // ---- One input ----------------------------------------------------------------------------------------------

    private sealed record Request(string Method, string Path, string Role, string Body, string? MustRefuseField, string? TouchesHistory,
        (string Task, string Unit, string Metric)? Target);

    private async Task One(Mutation m)
    {
        try
        {
            await Check(m);
        }
        catch (Exception e) when (!_throw && e is not Xunit.Sdk.XunitException)
        {
            // Pass 1 goes on whatever happens; the exception (a read that failed, a state the runner cannot build on) is a failure too.
            Fail(m, $"{m}: {e.GetType().Name}: {e.Message}\n    after {_previous}", null);
        }
    }

    private async Task Check(Mutation m)
    {
        Dictionary<string, string> before;
        try
        {
            before = await Snapshot();
        }
        catch (Exception e)
        {
            // An earlier input took the service down; that input is already reported, nothing more can be learnt.
            _lastFailed = true;
            _unanswerable++;
            _ = e;
            return;
        }
        if (_settled is not null && !Same(_settled, before, out var drift))
        {
            if (!_lastFailed) Fail(m, $"state moved after the previous input answered ({_previous}): {drift}", null);
        }
        _settled = before;
        _lastFailed = false;

        var request = Build(m);
        var described = $"{m}\n    {request.Method} {request.Path} as {request.Role}\n    body {Printable(request.Body)}";
        _previous = described;

        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path)
        {
            Content = new StringContent(request.Body, Encoding.UTF8),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        int status;
        string text;
        string? mediaType;
        try
        {
            using var response = await As(request.Role).SendAsync(message);
            status = (int)response.StatusCode;
            text = await response.Content.ReadAsStringAsync();
            mediaType = response.Content.Headers.ContentType?.MediaType;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("null characters", StringComparison.Ordinal))
        {
            // The in-process test server refuses %00 in a path before the service sees it (Kestrel answers that itself).
            return;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Fail(m, $"{described}\n    no answer: {e.GetType().Name} {e.Message}", null);
            return;
        }
        _statuses[status.ToString()] = _statuses.GetValueOrDefault(status.ToString()) + 1;
        var answered = $"{described}\n    answered {status} {mediaType}: {Printable(text, 400)}";

        if (status >= 500) { Fail(m, $"5xx: {answered}", request); return; }
        JsonNode? answer = null;
        if (status >= 400)
        {
            if (mediaType != "application/problem+json") Fail(m, $"4xx is not application/problem+json: {answered}", request);
            else
            {
                string? field = null;
                try { field = JsonNode.Parse(text)?["field"]?.GetValue<string>(); } catch (Exception) { }
                if (string.IsNullOrWhiteSpace(field)) Fail(m, $"4xx names no field: {answered}", request);
                else if (request.MustRefuseField is { } must && (status is not (400 or 422) || field != must))
                    Fail(m, $"expected a 400/422 problem on field {must}: {answered}", request);
            }
            var after = await Snapshot();
            if (!Same(before, after, out var changed)) Fail(m, $"a refusal changed {changed}: {answered}", request);
            _settled = after;
            return;
        }

        // 2xx: the body was accepted. Settle first, so the next input starts from the new state whatever is reported.
        try { answer = text.Length == 0 ? null : JsonNode.Parse(text); } catch (Exception) { }
        var missing = answer is null ? "2xx without a JSON answer" : await HasHistoryLine(m.Family, request, answer);
        _settled = await Settle();
        if (request.MustRefuseField is { } refuse) Fail(m, $"accepted, but the contract refuses it on field {refuse}: {answered}", request);
        if (missing is not null) Fail(m, $"{missing}: {answered}", request);
    }

    private void Fail(Mutation m, string message, Request? request)
    {
        _lastFailed = true;
        _failures.Add($"[{_failures.Count + 1}] {message}");
        if (_throw) throw new Xunit.Sdk.XunitException(message);
    }

    /// <summary>What an accepted request must have left behind; null when it is there.</summary>
    private async Task<string?> HasHistoryLine(Family family, Request request, JsonNode answer)
    {
        var office = As("office");
        switch (family)
        {
            case Family.Report:
            {
                var reportId = answer["reportId"].Str();
                var (task, unit, metric) = (answer["taskId"].Str(), answer["unitId"].Str(), answer["metricId"].Str());
                var history = (await office.GetOk($"{Plan}/assignments/{Uri.EscapeDataString(task)}/{Uri.EscapeDataString(unit)}/history")).AsArray();
                if (!history.Any(h => h!["reportId"]?.GetValue<string>() == reportId)) return $"history of {task}/{unit} has no line for {reportId}";
                return null;
            }
            case Family.Schedule:
            {
                var (task, unit, metric) = (answer["taskId"].Str(), answer["unitId"].Str(), answer["metricId"].Str());
                var owner = unit == "district" ? $"{Plan}/departments/{TaskLead(task)}" : $"{Plan}/streets/{unit}";
                var row = (await office.GetOk(owner))["assignments"]!.AsArray()
                    .FirstOrDefault(a => a!["taskId"].Str() == task && a["unitId"].Str() == unit && a["metricId"].Str() == metric);
                return row?["scheduleSource"]?.GetValue<string>() is "default" or null ? $"{owner} does not show the schedule of {task}/{unit}/{metric}" : null;
            }
            case Family.Case:
            {
                var id = answer["id"].Str();
                var found = await office.GetOk($"{Plan}/cases/{Uri.EscapeDataString(id)}");
                if (found["state"].Canonical() != answer["state"].Canonical()) return $"case {id} reads {found["state"].Canonical()}, the answer said {answer["state"].Canonical()}";
                if ((found["responses"]?.AsArray().Count ?? 0) != (answer["responses"]?.AsArray().Count ?? 0)) return $"case {id} has another number of responses than the answer";
                if (answer["state"].Str() == "closed") await OpenLiveCase();
                return null;
            }
            case Family.Clock:
            {
                var now = DateTimeOffset.Parse((await office.GetOk(Clock))["now"].Str());
                return now == DateTimeOffset.Parse(answer["now"].Str()) ? null : $"the clock reads {now:o}, the answer said {answer["now"]}";
            }
        }
        return null;
    }

    private string TaskLead(string taskId) => _plan["tasks"]!.AsArray().Single(t => t!["id"].Str() == taskId)!["leadDepartment"].Str();

    private long Target(string task, string unit, string metric) => _plan["tasks"]!.AsArray().Single(t => t!["id"].Str() == task)!["assignments"]!.AsArray()
        .Single(a => a!["unitId"].Str() == unit && a["metricId"].Str() == metric)!["target"]!.GetValue<long>();

    // ---- Building the request -----------------------------------------------------------------------------------

    private Request Build(Mutation m)
    {
        var serial = ++_serial;
        string method = "POST", path, role;
        JsonObject valid;
        (string, string, string)? target = null;
        switch (m.Family)
        {
            case Family.Report:
            {
                var t = Targets[m.Base % Targets.Length];
                target = (t.Task, t.Unit, t.Metric);
                var current = _completed[(t.Task, t.Unit, t.Metric)];
                var correction = m.Base / Targets.Length % 2 == 1 && current > 0;
                valid = new JsonObject
                {
                    ["reportId"] = $"prop-{serial}", ["taskId"] = t.Task, ["unitId"] = t.Unit, ["metricId"] = t.Metric,
                    ["completed"] = correction ? current - 1 : current + 1,
                    ["note"] = correction ? "更正：重复统计" : "进展顺利",
                    ["evidence"] = new JsonArray("https://example.org/photo.jpg"),
                };
                if (correction) { valid["correction"] = true; valid["reason"] = "重复统计，予以更正"; }
                path = $"{Plan}/reports";
                role = t.Role;
                break;
            }
            case Family.Schedule:
            {
                var t = Targets[m.Base % Targets.Length];
                target = (t.Task, t.Unit, t.Metric);
                var goal = Target(t.Task, t.Unit, t.Metric);
                var months = new[] { "2024-05-31", "2024-06-30", "2024-08-31", "2024-09-30" };
                valid = new JsonObject
                {
                    ["metricId"] = t.Metric,
                    ["milestones"] = new JsonArray(
                        new JsonObject { ["date"] = months[m.Base / Targets.Length % months.Length], ["completed"] = goal / 2 },
                        new JsonObject { ["date"] = "2024-11-30", ["completed"] = goal }),
                };
                method = "PUT";
                path = $"{Plan}/assignments/{t.Task}/{t.Unit}/schedule";
                role = m.Base % 2 == 0 || t.Unit == "district" ? t.Role : $"department:{TaskLead(t.Task)}";
                break;
            }
            case Family.Case:
            {
                switch (m.Base % 3)
                {
                    case 0:
                        var c = _caseTargets[(m.Base * 7 + serial) % _caseTargets.Count];
                        valid = new JsonObject { ["taskId"] = c.Task, ["unitId"] = c.Unit, ["reason"] = "进度滞后，手动督办" };
                        path = $"{Plan}/cases";
                        role = "office";
                        break;
                    case 1:
                        valid = new JsonObject { ["text"] = "已部署，正在推进", ["promisedDate"] = "2024-06-30" };
                        path = $"{Plan}/cases/{_liveCase}/responses";
                        role = m.Base % 2 == 0 ? "office" : $"department:{_liveCaseLead}";
                        break;
                    default:
                        valid = new JsonObject { ["reason"] = "已核实整改" };
                        path = $"{Plan}/cases/{_liveCase}/close";
                        role = "office";
                        break;
                }
                break;
            }
            default:
            {
                var now = DateTimeOffset.Parse(JsonNode.Parse(_settled![Clock])!["now"].Str());
                // An earlier input may have moved the clock to the end of time: then "forward" is the same instant.
                var next = now < DateTimeOffset.MaxValue.AddDays(-1) ? now.AddHours(1 + m.Base % 6) : now;
                valid = new JsonObject { ["now"] = next.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz") };
                path = Clock;
                role = "office";
                break;
            }
        }

        var body = new RawBody(valid);
        var slots = body.Slots();
        string? mustRefuse = null;
        RawBody.Slot Pick(Func<RawBody.Slot, bool> where)
        {
            var candidates = slots.Where(where).ToList();
            return candidates.Count == 0 ? slots[m.Field % slots.Count] : candidates[m.Field % candidates.Count];
        }
        var op = m.Op;
        if (op == Op.PathId && m.Family is Family.Report or Family.Clock || op == Op.PathId && m.Family == Family.Case && m.Base % 3 == 0)
            op = Op.ControlChar;
        switch (op)
        {
            case Op.None:
                break;
            case Op.Missing:
                Pick(_ => true).Remove();
                break;
            case Op.WrongType:
                Pick(_ => true).Set(RawBody.Raw(Payloads.WrongTypes[m.Payload % Payloads.WrongTypes.Length]));
                break;
            case Op.NumberRange:
                Pick(s => s.IsNumber).Set(RawBody.Raw(Payloads.Numbers[m.Payload % Payloads.Numbers.Length]));
                break;
            case Op.ControlChar:
            {
                var slot = Pick(s => s.IsString);
                if (slot.Text is { } text)
                {
                    var ch = Payloads.ControlChars[m.Payload % Payloads.ControlChars.Length];
                    var at = m.Position % (text.Length + 1);
                    slot.Set(text.Insert(at, ch.ToString()));
                    // The rule: control characters are refused, naming the field; line breaks and tabs are ordinary text
                    // in prose a person writes (note, reason, case text), and refused everywhere else.
                    var prose = slot.Path.Split('.', '[')[^1] is "note" or "reason" or "text";
                    if (!(prose && ch is '\n' or '\r' or '\t')) mustRefuse = slot.Path;
                }
                break;
            }
            case Op.LookAlike:
            {
                var slot = Pick(s => s.IsString || s.IsNumber);
                var text = slot.Text ?? slot.Value!.ToJsonString();
                var alike = m.Payload % 3 == 0 ? Payloads.Cyrillic(text) : Payloads.Fullwidth(text);
                if (alike == text) alike = Payloads.Cyrillic(Payloads.Fullwidth(text)) + "\u200B";
                slot.Set(alike);
                break;
            }
            case Op.UnknownKey:
            {
                var objects = slots.Where(s => s.Value is JsonObject).Select(s => (JsonObject)s.Value!).Prepend(valid).ToList();
                var key = Payloads.UnknownKeys[m.Payload % Payloads.UnknownKeys.Length];
                var target2 = objects[m.Field % objects.Count];
                if (!target2.ContainsKey(key)) target2[key] = RawBody.Raw(Payloads.WrongTypes[m.Position % Payloads.WrongTypes.Length]);
                break;
            }
            case Op.DuplicateKey:
            {
                var top = slots.Where(s => s.Key is not null && s.Parent == valid).ToList();
                var slot = top[m.Field % top.Count];
                var raw = m.Payload % 2 == 0 ? slot.Value?.ToJsonString() ?? "null" : Payloads.WrongTypes[m.Payload % Payloads.WrongTypes.Length];
                body.AddDuplicate(m.Position % 3 == 0 ? slot.Key!.ToUpperInvariant() : slot.Key!, raw);
                break;
            }
            case Op.Extreme:
            {
                var slot = Pick(s => s.IsDate);
                if (!slot.IsDate) { slot.Set(RawBody.Raw(Payloads.Numbers[m.Payload % Payloads.Numbers.Length])); break; }
                if (slot.Path == "now")
                {
                    var i = m.Payload % Payloads.Instants.Length;
                    slot.Set(Payloads.Instants[i]);
                    if (i < 4) mustRefuse = "now";
                }
                else
                {
                    var i = m.Payload % Payloads.Dates.Length;
                    slot.Set(Payloads.Dates[i]);
                    if (i < 4) mustRefuse = slot.Path;
                }
                break;
            }
            case Op.Nesting:
            {
                var depth = Payloads.NestingDepths[m.Payload % Payloads.NestingDepths.Length];
                Pick(_ => true).Set(RawBody.Raw(Payloads.Nest(depth, m.Position % 2 == 0)));
                break;
            }
            case Op.LongText:
            {
                var slot = Pick(s => s.IsString);
                var length = Payloads.Lengths[m.Payload % Payloads.Lengths.Length];
                slot.Set(new string(m.Position % 2 == 0 ? '进' : 'x', length));
                break;
            }
            case Op.Truncate:
                body.TruncateAt = m.Position % Math.Max(1, body.ToString().Length);
                break;
            case Op.PathId:
            {
                var segments = path.Split('/');
                // Schedules: .../assignments/{taskId}/{unitId}/schedule; cases: .../cases/{caseId}/responses|close.
                var (index, field) = m.Family == Family.Schedule
                    ? (m.Field % 2 == 0 ? (segments.Length - 3, "taskId") : (segments.Length - 2, "unitId"))
                    : (segments.Length - 2, "caseId");
                var id = Uri.UnescapeDataString(segments[index]);
                if (m.Payload % 4 == 3)
                {
                    segments[index] = Uri.EscapeDataString(Payloads.Cyrillic(Payloads.Fullwidth(id)));
                }
                else
                {
                    var ch = Payloads.ControlChars[m.Payload % Payloads.ControlChars.Length];
                    segments[index] = Uri.EscapeDataString(id.Insert(m.Position % (id.Length + 1), ch.ToString()));
                }
                path = string.Join('/', segments);
                _ = field;
                break;
            }
        }
        return new Request(method, path, role, body.ToString(), mustRefuse, null, target);
    }

    // ---- State --------------------------------------------------------------------------------------------------

    /// <summary>What is read with an office token before and after every input.</summary>
    private IEnumerable<string> Watched =>
    [
        $"{Plan}/rollup",
        $"{Plan}/streets/shangtang", $"{Plan}/streets/changqing", $"{Plan}/streets/wulin",
        $"{Plan}/departments/education", $"{Plan}/departments/civil-affairs",
        .. Targets.Select(t => $"{Plan}/assignments/{t.Task}/{t.Unit}/history").Distinct(),
        $"{Plan}/cases",
        Clock,
    ];

    private async Task<Dictionary<string, string>> Snapshot()
    {
        var office = As("office");
        var snapshot = new Dictionary<string, string>();
        foreach (var url in Watched)
        {
            var node = await office.GetOk(url);
            if (node is JsonObject o) o.Remove("asOf");
            snapshot[url] = node.Canonical();
        }
        return snapshot;
    }

    /// <summary>After an acceptance: awaits the settled signal (the plan's rollup has heard of every count), then reads the state.</summary>
    private async Task<Dictionary<string, string>> Settle()
    {
        // The owners' views are written before the answer; the plan's rollup hears of them through the outboxes.
        var office = As("office");
        foreach (var owner in new[] { $"{Plan}/streets/shangtang", $"{Plan}/streets/changqing", $"{Plan}/departments/education" })
            foreach (var row in (await office.GetOk(owner))["assignments"]!.AsArray())
                if (_completed.ContainsKey((row!["taskId"].Str(), row["unitId"].Str(), row["metricId"].Str())))
                    _completed[(row["taskId"].Str(), row["unitId"].Str(), row["metricId"].Str())] = row["completed"]!.GetValue<long>();
        var expected = new ExpectedRollup(_plan, _completed).Plan;
        var watch = Stopwatch.StartNew();
        await settle();
        var rollup = await As("office").GetOk($"{Plan}/rollup");
        _settling += watch.Elapsed;
        Assert.True(rollup["ratio"].Dec() == expected, $"after settling, the rollup ratio is {rollup["ratio"].Dec()}, not {expected}, after {_previous}");
        return await Snapshot();
    }

    private static bool Same(Dictionary<string, string> a, Dictionary<string, string> b, out string difference)
    {
        foreach (var (url, value) in a)
        {
            if (b.TryGetValue(url, out var other) && other == value) continue;
            difference = $"{url}:\n      before {Printable(value, 600)}\n      after  {Printable(b.GetValueOrDefault(url) ?? "(missing)", 600)}";
            return false;
        }
        difference = "";
        return true;
    }

    /// <summary>Control characters shown as \uXXXX and long texts shortened, so a failure message can be read and pasted.</summary>
    public static string Printable(string s, int max = 300)
    {
        var sb = new StringBuilder();
        foreach (var c in s.Length > max ? s[..max] : s)
            sb.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? $"\\u{(int)c:X4}" : c);
        if (s.Length > max) sb.Append($"…(+{s.Length - max} chars)");
        return sb.ToString();
    }
}

