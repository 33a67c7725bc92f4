using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Minsheng.Domain.Plans;
using Minsheng.Hosting.Auth;
using Minsheng.Testing;
using Npgsql;
using NpgsqlTypes;

namespace Minsheng.Benchmarks;

/// <summary>
/// The plain design of issue 19, written fairly: a small ASP.NET Core minimal-API app that writes each report as one row
/// in PostgreSQL (its own schema <c>plain</c> in the scale run's throwaway database, PlainDesign.sql) and computes every
/// rollup with SQL at read time: the plan ratio (Σ min(completed, target) / Σ target per task metric, mean over the
/// task's metrics, mean over the project's tasks, mean over the plan's projects: the service's RollupCalculator), a
/// street's view, a region's plans ranked by ratio. The latest row of an assignment is one backward step of the index
/// (plan, task, unit, metric, id DESC) INCLUDE (completed). The same URLs and the same bearer tokens as the service
/// (validated with the same key and parameters), so the benchmark drives both with the same code. It differs from the
/// service in what it leaves out (status counts, schedules, events, history pages), all in its favour.
/// </summary>
internal static class PlainDesign
{
    private const string IndexMarker = "-- @@indexes";

    private static string Script() =>
        new StreamReader(typeof(PlainDesign).Assembly.GetManifestResourceStream("Minsheng.Benchmarks.PlainDesign.sql")
                         ?? throw new InvalidOperationException("PlainDesign.sql is not embedded")).ReadToEnd();

    /// <summary>
    /// Creates the schema, copies the plans' catalog in, copies the service's bulk-loaded report log (when there is one)
    /// as the plain design's history, then builds the indexes. Returns the number of history rows copied.
    /// </summary>
    public static async Task<long> SetUpAsync(string connectionString, IReadOnlyList<PlanIndex> plans, bool copyHistory)
    {
        var script = Script();
        var at = script.IndexOf(IndexMarker, StringComparison.Ordinal);
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using (var create = source.CreateCommand(script[..at])) await create.ExecuteNonQueryAsync();
        await using (var connection = await source.OpenConnectionAsync())
        {
            await using (var w = await connection.BeginBinaryImportAsync("COPY plain.plan (plan_id, title, district_id, region_id) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var p in plans)
                    await w.WriteRowAsync(default, p.Id, p.Plan.Title, p.Plan.DistrictId, (object?)p.Plan.Region?.Id ?? DBNull.Value);
                await w.CompleteAsync();
            }
            await using (var w = await connection.BeginBinaryImportAsync("COPY plain.project (plan_id, project_id) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var p in plans)
                    foreach (var project in p.Plan.Projects) await w.WriteRowAsync(default, p.Id, project.Id);
                await w.CompleteAsync();
            }
            // A project's tasks are the ones its project lists (PlanIndex.TasksOf), as the service reads them.
            await using (var w = await connection.BeginBinaryImportAsync("COPY plain.task (plan_id, task_id, project_id, lead_department) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var p in plans)
                    foreach (var project in p.Plan.Projects)
                        foreach (var task in p.TasksOf(project)) await w.WriteRowAsync(default, p.Id, task.Id, project.Id, task.LeadDepartment);
                await w.CompleteAsync();
            }
            await using (var w = await connection.BeginBinaryImportAsync("COPY plain.metric (plan_id, task_id, metric_id, ordinal) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var p in plans)
                    foreach (var task in p.Plan.Tasks)
                        for (var i = 0; i < task.Metrics.Count; i++) await w.WriteRowAsync(default, p.Id, task.Id, task.Metrics[i].Id, i);
                await w.CompleteAsync();
            }
            await using (var w = await connection.BeginBinaryImportAsync("COPY plain.assignment (plan_id, task_id, unit_id, metric_id, target) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var p in plans)
                    foreach (var a in p.AllAssignments) await w.WriteRowAsync(default, p.Id, a.Task.Id, a.Assignment.UnitId, a.Assignment.MetricId, a.Assignment.Target);
                await w.CompleteAsync();
            }
        }
        long copied = 0;
        if (copyHistory)
        {
            // The same reports the service's log holds (the generator's year-end history), in the log's order, so the
            // highest id of an assignment is its latest version.
            await using var copy = source.CreateCommand(
                "INSERT INTO plain.report (plan_id, task_id, unit_id, metric_id, report_id, completed, at) " +
                "SELECT plan_id, task_id, unit_id, metric_id, report_id, completed, at FROM minsheng_report_log WHERE kind = 'report' ORDER BY seq");
            copy.CommandTimeout = 3600;
            copied = await copy.ExecuteNonQueryAsync();
        }
        await using (var indexes = source.CreateCommand(script[at..]))
        {
            indexes.CommandTimeout = 3600;
            await indexes.ExecuteNonQueryAsync();
        }
        return copied;
    }

    // ---- The SQL of the reads and the write. ----

    /// <summary>The latest count of assignment <c>a</c> (0 without a report): one backward index step.</summary>
    private const string Latest = """
        LEFT JOIN LATERAL (
            SELECT r.completed FROM plain.report r
            WHERE r.plan_id = a.plan_id AND r.task_id = a.task_id AND r.unit_id = a.unit_id AND r.metric_id = a.metric_id
            ORDER BY r.id DESC LIMIT 1) l ON true
        """;

    public const string PlanRollupSql = $"""
        WITH latest AS (
            SELECT a.task_id, a.metric_id, a.target, coalesce(l.completed, 0) AS completed
            FROM plain.assignment a
            {Latest}
            WHERE a.plan_id = $1),
        m AS (
            SELECT t.project_id, mt.task_id, mt.metric_id, mt.ordinal,
                   coalesce(sum(l.target), 0) AS target, coalesce(sum(l.completed), 0) AS completed,
                   CASE WHEN coalesce(sum(l.target), 0) = 0 THEN 0::numeric(60,30)
                        ELSE sum(least(l.completed, l.target))::numeric(60,30) / sum(l.target) END AS ratio
            FROM plain.metric mt
            JOIN plain.task t ON t.plan_id = mt.plan_id AND t.task_id = mt.task_id
            LEFT JOIN latest l ON l.task_id = mt.task_id AND l.metric_id = mt.metric_id
            WHERE mt.plan_id = $1
            GROUP BY t.project_id, mt.task_id, mt.metric_id, mt.ordinal),
        tk AS (SELECT project_id, task_id, avg(ratio) AS ratio FROM m GROUP BY project_id, task_id),
        pj AS (
            SELECT p.project_id, coalesce(avg(tk.ratio), 0) AS ratio
            FROM plain.project p LEFT JOIN tk ON tk.project_id = p.project_id
            WHERE p.plan_id = $1
            GROUP BY p.project_id)
        SELECT (SELECT round(coalesce(avg(ratio), 0), 6) FROM pj), m.project_id, round(pj.ratio, 6), m.task_id, round(tk.ratio, 6),
               m.metric_id, m.target, m.completed, round(m.ratio, 6)
        FROM m JOIN tk USING (project_id, task_id) JOIN pj USING (project_id)
        ORDER BY m.project_id, m.task_id, m.ordinal
        """;

    /// <summary>Every plan of a region with its ratio, ranked: equal ratios share a rank, listed by plan id.</summary>
    public const string RegionRollupSql = $"""
        WITH pl0 AS (SELECT plan_id, title FROM plain.plan WHERE region_id = $1),
        latest AS (
            SELECT a.plan_id, a.task_id, a.metric_id, a.target, coalesce(l.completed, 0) AS completed
            FROM plain.assignment a JOIN pl0 ON pl0.plan_id = a.plan_id
            {Latest}),
        m AS (
            SELECT mt.plan_id, t.project_id, mt.task_id, mt.metric_id,
                   CASE WHEN coalesce(sum(l.target), 0) = 0 THEN 0::numeric(60,30)
                        ELSE sum(least(l.completed, l.target))::numeric(60,30) / sum(l.target) END AS ratio
            FROM plain.metric mt
            JOIN pl0 ON pl0.plan_id = mt.plan_id
            JOIN plain.task t ON t.plan_id = mt.plan_id AND t.task_id = mt.task_id
            LEFT JOIN latest l ON l.plan_id = mt.plan_id AND l.task_id = mt.task_id AND l.metric_id = mt.metric_id
            GROUP BY mt.plan_id, t.project_id, mt.task_id, mt.metric_id),
        tk AS (SELECT plan_id, project_id, task_id, avg(ratio) AS ratio FROM m GROUP BY plan_id, project_id, task_id),
        pj AS (
            SELECT p.plan_id, p.project_id, coalesce(avg(tk.ratio), 0) AS ratio
            FROM plain.project p JOIN pl0 ON pl0.plan_id = p.plan_id
            LEFT JOIN tk ON tk.plan_id = p.plan_id AND tk.project_id = p.project_id
            GROUP BY p.plan_id, p.project_id),
        pl AS (
            SELECT pl0.plan_id, pl0.title, coalesce(avg(pj.ratio), 0) AS ratio
            FROM pl0 LEFT JOIN pj ON pj.plan_id = pl0.plan_id
            GROUP BY pl0.plan_id, pl0.title)
        SELECT plan_id, title, round(ratio, 6), rank() OVER (ORDER BY round(ratio, 24) DESC) AS rank
        FROM pl ORDER BY rank, plan_id
        """;

    /// <summary>A street's assignments with their counts and capped ratios; the street's ratio is the mean over its tasks.</summary>
    public const string StreetSql = $"""
        WITH s AS (
            SELECT a.task_id, a.metric_id, a.target, coalesce(l.completed, 0) AS completed,
                   least(coalesce(l.completed, 0), a.target)::numeric(60,30) / a.target AS ratio
            FROM plain.assignment a
            {Latest}
            WHERE a.plan_id = $1 AND a.unit_id = $2),
        tk AS (SELECT task_id, avg(ratio) AS ratio FROM s GROUP BY task_id)
        SELECT (SELECT round(coalesce(avg(ratio), 0), 6) FROM tk), s.task_id, s.metric_id, s.target, s.completed, round(s.ratio, 6)
        FROM s ORDER BY s.task_id, s.metric_id
        """;

    /// <summary>
    /// One report, one statement: the row goes in when the assignment exists, the caller owns it (its street, or the
    /// task's lead department for 区本级, in the plan's district; or the office) and the count is not lower than the
    /// latest; a reportId already stored is left alone (the caller then finds it: a retry).
    /// </summary>
    public const string InsertSql = $"""
        INSERT INTO plain.report (plan_id, task_id, unit_id, metric_id, report_id, completed)
        SELECT a.plan_id, a.task_id, a.unit_id, a.metric_id, $5, $6
        FROM plain.assignment a
        JOIN plain.task t ON t.plan_id = a.plan_id AND t.task_id = a.task_id
        JOIN plain.plan p ON p.plan_id = a.plan_id
        {Latest}
        WHERE a.plan_id = $1 AND a.task_id = $2 AND a.unit_id = $3 AND a.metric_id = $4
          AND ($7 = 'office' OR ($8 = p.district_id AND $7 = CASE WHEN a.unit_id = 'district' THEN 'department:' || t.lead_department ELSE 'street:' || a.unit_id END))
          AND $6 >= coalesce(l.completed, 0)
        ON CONFLICT (plan_id, report_id) DO NOTHING
        RETURNING id
        """;

    public const string FindReportSql = "SELECT id, completed FROM plain.report WHERE plan_id = $1 AND report_id = $2";
}

/// <summary>The plain design's HTTP server: <c>Minsheng.Benchmarks.dll plain-server --urls URL --connection CS</c>, key in the environment.</summary>
internal static class PlainServer
{
    public const string Command = "plain-server";
    public const string KeyVariable = "MINSHENG_PLAIN_SIGNING_KEY";

    private sealed record ReportBody(string? ReportId, string? TaskId, string? UnitId, string? MetricId, long? Completed);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(string[] args)
    {
        string? urls = null, connection = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--urls") urls = args[i + 1];
            else if (args[i] == "--connection") connection = args[i + 1];
        }
        var keyText = Environment.GetEnvironmentVariable(KeyVariable);
        if (urls is null || connection is null || string.IsNullOrEmpty(keyText))
        {
            await Console.Error.WriteLineAsync($"usage: {Command} --urls URL --connection CS (signing key in {KeyVariable})");
            return 2;
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = TokenIssuer.ValidationParameters(Encoding.UTF8.GetBytes(keyText));
        });
        builder.Services.AddAuthorization();
        // Npgsql's automatic preparation: the plain design's few statements are parsed and planned once per connection.
        var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connection) { MaxAutoPrepare = 16, MaxPoolSize = 128 }.ConnectionString);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
        app.MapGet("/health/ready", async () =>
        {
            await using var c = dataSource.CreateCommand("SELECT 1");
            await c.ExecuteScalarAsync();
            return Results.Ok(new { status = "ready" });
        });

        var plans = app.MapGroup("/api/v1/plans/{planId}").RequireAuthorization();
        plans.MapPost("/reports", async (string planId, HttpContext http) =>
        {
            ReportBody? body;
            try { body = await JsonSerializer.DeserializeAsync<ReportBody>(http.Request.Body, Json); }
            catch (JsonException) { return Results.BadRequest(); }
            if (body is not { ReportId: { } reportId, TaskId: { } taskId, UnitId: { } unitId, Completed: >= 0 and var completed })
                return Results.BadRequest();
            var metricId = body.MetricId ?? PlanUnits.MainMetric;
            var role = http.User.FindFirst(Caller.RoleClaim)?.Value ?? "";
            var district = http.User.FindFirst(Caller.DistrictClaim)?.Value ?? "";
            await using (var insert = dataSource.CreateCommand(PlainDesign.InsertSql))
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = planId });
                insert.Parameters.Add(new NpgsqlParameter { Value = taskId });
                insert.Parameters.Add(new NpgsqlParameter { Value = unitId });
                insert.Parameters.Add(new NpgsqlParameter { Value = metricId });
                insert.Parameters.Add(new NpgsqlParameter { Value = reportId });
                insert.Parameters.Add(new NpgsqlParameter { Value = completed });
                insert.Parameters.Add(new NpgsqlParameter { Value = role });
                insert.Parameters.Add(new NpgsqlParameter { Value = district });
                if (await insert.ExecuteScalarAsync() is long id)
                    return Results.Json(new { reportId, taskId, unitId, metricId, completed, position = id }, statusCode: 201);
            }
            await using var find = dataSource.CreateCommand(PlainDesign.FindReportSql);
            find.Parameters.Add(new NpgsqlParameter { Value = planId });
            find.Parameters.Add(new NpgsqlParameter { Value = reportId });
            await using var reader = await find.ExecuteReaderAsync();
            if (await reader.ReadAsync())
                return Results.Json(new { reportId, taskId, unitId, metricId, completed = reader.GetInt64(1), position = reader.GetInt64(0) }, statusCode: 200);
            // Unknown assignment, not the caller's, or lower than the latest count: the plain design does not say which.
            return Results.StatusCode(422);
        });

        plans.MapGet("/rollup", async (string planId) =>
        {
            await using var command = dataSource.CreateCommand(PlainDesign.PlanRollupSql);
            command.Parameters.Add(new NpgsqlParameter { Value = planId });
            await using var reader = await command.ExecuteReaderAsync();
            decimal? ratio = null;
            var projects = new List<object>();
            string? projectId = null, taskId = null;
            List<object>? tasks = null, metrics = null;
            while (await reader.ReadAsync())
            {
                ratio = reader.GetDecimal(0);
                if (reader.GetString(1) != projectId)
                {
                    projectId = reader.GetString(1);
                    tasks = [];
                    projects.Add(new { id = projectId, ratio = reader.GetDecimal(2), tasks });
                    taskId = null;
                }
                if (reader.GetString(3) != taskId)
                {
                    taskId = reader.GetString(3);
                    metrics = [];
                    tasks!.Add(new { id = taskId, ratio = reader.GetDecimal(4), metrics });
                }
                metrics!.Add(new { id = reader.GetString(5), target = reader.GetInt64(6), completed = reader.GetInt64(7), ratio = reader.GetDecimal(8) });
            }
            return ratio is null ? Results.NotFound() : Results.Ok(new { planId, ratio, projects });
        });

        plans.MapGet("/streets/{streetId}", async (string planId, string streetId) =>
        {
            await using var command = dataSource.CreateCommand(PlainDesign.StreetSql);
            command.Parameters.Add(new NpgsqlParameter { Value = planId });
            command.Parameters.Add(new NpgsqlParameter { Value = streetId });
            await using var reader = await command.ExecuteReaderAsync();
            decimal? ratio = null;
            var assignments = new List<object>();
            while (await reader.ReadAsync())
            {
                ratio = reader.GetDecimal(0);
                assignments.Add(new { taskId = reader.GetString(1), unitId = streetId, metricId = reader.GetString(2), target = reader.GetInt64(3),
                    completed = reader.GetInt64(4), ratio = reader.GetDecimal(5) });
            }
            return ratio is null ? Results.NotFound() : Results.Ok(new { id = streetId, ratio, assignments });
        });

        app.MapGet("/api/v1/regions/{regionId}/rollup", async (string regionId) =>
        {
            await using var command = dataSource.CreateCommand(PlainDesign.RegionRollupSql);
            command.Parameters.Add(new NpgsqlParameter { Value = regionId });
            await using var reader = await command.ExecuteReaderAsync();
            var list = new List<object>();
            while (await reader.ReadAsync())
                list.Add(new { planId = reader.GetString(0), title = reader.GetString(1), ratio = reader.GetDecimal(2), rank = reader.GetInt64(3) });
            return list.Count == 0 ? Results.NotFound() : Results.Ok(new { regionId, plans = list });
        }).RequireAuthorization();

        await app.RunAsync();
        return 0;
    }
}

/// <summary>The plain design's server as a child process of the benchmark (its own CPU and memory, like the silo's).</summary>
internal sealed class PlainProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private PlainProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    public string Tail => string.Join('\n', _log.ToString().Split('\n').TakeLast(30));

    public static async Task<PlainProcess> StartAsync(string connectionString, string keyText, TimeSpan timeout)
    {
        var port = Ports.Distinct(1)[0];
        var baseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(PlainServer).Assembly.Location);
        foreach (var a in new[] { PlainServer.Command, "--urls", baseAddress.ToString().TrimEnd('/'), "--connection", connectionString }) info.ArgumentList.Add(a);
        info.Environment[PlainServer.KeyVariable] = keyText;
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment.Remove("ASPNETCORE_URLS");
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var plain = new PlainProcess(process, baseAddress);
        Cleanup.Register(plain);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (plain._log) plain._log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (plain._log) plain._log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited) throw new InvalidOperationException($"The plain design's server exited with {process.ExitCode}:\n{plain.Tail}");
            try
            {
                using var response = await probe.GetAsync("health/ready");
                if (response.IsSuccessStatusCode) return plain;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        await plain.DisposeAsync();
        throw new TimeoutException($"The plain design's server did not answer /health/ready within {timeout.TotalSeconds:0} s:\n{plain.Tail}");
    }

    public async ValueTask DisposeAsync()
    {
        Cleanup.Unregister(this);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException) { }
        catch (TimeoutException) { }
        _process.Dispose();
    }
}
