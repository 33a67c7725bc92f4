using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Plans.Generation;
using Minsheng.Hosting;
using Minsheng.Persistence;
using Minsheng.Persistence.ReportLog;

namespace Minsheng.Cli;

/// <summary>
/// <c>generate --scale province|nation|gongshu|N --seed S --out DIR [--log-rows-per-assignment N]</c>: writes the plan files
/// of issue 19's scales (<see cref="PlanGenerator"/>) into a folder the silo loads with <c>--Minsheng:Seeds=DIR</c>, loads
/// them back as the silo would (so a bad folder fails here, not at start, and the load time is known), and optionally
/// writes a year-end history of every assignment straight into the PostgreSQL report log (<see cref="ReportLogBulkLoad"/>).
/// </summary>
internal static class GenerateCommand
{
    public const string Name = "generate";

    public static Command Create()
    {
        var scale = new Option<PlanScale>("--scale")
        {
            Description = "province (90 plans, one region), nation (2,800 plans in 31 regions), a number of plans (regions of 90), " +
                          "or gongshu (the seed plans as they are).",
            HelpName = "province|nation|gongshu|N",
            Required = true,
            CustomParser = ParseScale,
        };
        var seed = new Option<int>("--seed") { Description = "The random seed: the same seed writes the same files.", HelpName = "S", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "The folder to write the *.plan.json files into (created if missing).", HelpName = "DIR", Required = true };
        var rows = new Option<int?>("--log-rows-per-assignment")
        {
            Description = $"Also write a year-end history into the PostgreSQL report log: this many rows per assignment (1 to " +
                          $"{YearEndHistory.MaxRowsPerAssignment}; issue 19's year end is 50). Needs --connection or ConnectionStrings:Minsheng.",
            HelpName = "N",
            CustomParser = ParseRows,
        };
        var connection = new Option<string?>("--connection")
        {
            Description = "The PostgreSQL connection string of the report log (default: ConnectionStrings:Minsheng); the schema is migrated first.",
            HelpName = "CONNECTION",
        };
        var settings = CommandSettings.Argument();
        var command = new Command(Name,
            "Writes generated plans of gongshu-2024's shape (10 projects, 22 tasks, 10-30 streets each) for the scale runs, and " +
            "optionally a year-end history of reports into the PostgreSQL report log.")
        {
            settings, scale, seed, output, rows, connection,
        };
        command.SetAction((result, cancellationToken) => Run(result, new Request(result.GetValue(scale)!, result.GetValue(seed),
            CallerPath.Resolve(result.GetValue(output)!), result.GetValue(rows), result.GetValue(connection), result.GetValue(settings) ?? []),
            cancellationToken));
        return command;
    }

    private sealed record Request(PlanScale Scale, int Seed, string Out, int? LogRows, string? Connection, string[] Settings);

    private static async Task<int> Run(ParseResult result, Request request, CancellationToken cancellationToken)
    {
        var (stdout, stderr) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
        var settings = CommandSettings.From(request.Settings);
        var connection = request.Connection ?? PostgresConnection.Find(settings.Configuration);
        if (request.LogRows is not null && connection is null)
        {
            await stderr.WriteLineAsync("generate: --log-rows-per-assignment needs --connection (or ConnectionStrings:Minsheng)");
            return MinshengCommandLine.UsageError;
        }

        var clock = Stopwatch.StartNew();
        var plans = request.Scale.IsSeedOnly
            ? PlanSeeds.Load(settings.Configuration, settings.ContentRoot).Plans.Select(p => p.Plan).ToList()
            : PlanGenerator.Generate(request.Seed, request.Scale).ToList();
        var generated = clock.Elapsed;
        if (await PlanFolder.WriteAsync(request.Out, plans, cancellationToken) is not { } bytes)
        {
            await stderr.WriteLineAsync($"generate: {request.Out} already holds other plan files; the silo would load them too. Choose an empty folder.");
            return 1;
        }
        var written = clock.Elapsed;
        var loaded = PlanLoader.LoadDirectory(request.Out);
        var loadedBack = clock.Elapsed - written;

        var assignments = plans.Sum(p => p.Tasks.Sum(t => t.Assignments.Count));
        var regions = plans.Select(p => p.Region?.Id).Distinct().Count();
        var what = Invariant($"{request.Scale.Name}: {plans.Count} plans, {assignments:#,0} assignments, {regions} region(s), seed {request.Seed}");
        var where = Invariant($"-> {request.Out} ({bytes / 1048576.0:0.0} MiB) in {written.TotalSeconds:0.0} s (generated {generated.TotalSeconds:0.0} s)");
        var check = Invariant($"{loaded.Count} loaded back as the silo loads them in {loadedBack.TotalSeconds:0.0} s");
        await stdout.WriteLineAsync($"{what} {where}; {check}");

        if (request.LogRows is { } perAssignment)
        {
            try
            {
                var load = await ReportLogBulkLoad.LoadAsync(connection!, plans, perAssignment, request.Seed, cancellationToken: cancellationToken);
                await stdout.WriteLineAsync(Invariant(
                    $"report log: {load.Rows:#,0} rows ({perAssignment} per assignment) in {load.Elapsed.TotalSeconds:0.0} s ({load.RowsPerSecond:#,0} rows/s)"));
            }
            catch (InvalidOperationException e)
            {
                await stderr.WriteLineAsync($"generate: {e.Message}");
                return 1;
            }
        }
        return 0;
    }

    private static PlanScale? ParseScale(ArgumentResult result)
    {
        if (result.Tokens.Count == 1 && PlanScale.Parse(result.Tokens[0].Value) is { } scale) return scale;
        result.AddError("--scale takes province, nation, gongshu or a number of plans");
        return null;
    }

    private static int? ParseRows(ArgumentResult result)
    {
        if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var rows)
            && rows is > 0 and <= YearEndHistory.MaxRowsPerAssignment) return rows;
        result.AddError($"--log-rows-per-assignment takes a whole number from 1 to {YearEndHistory.MaxRowsPerAssignment}");
        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
